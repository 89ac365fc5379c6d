package io.amoskys.camel.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.pcap.CaptureReader;
import io.amoskys.pcap.CaptureStats;
import io.amoskys.pcap.PacketBatch;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pcap: component on a real Camel context, found the way Camel finds components. */
class PcapComponentTest {
    private static final Path FOLDER = Path.of(System.getProperty("amoskys.pcapData", "../../../shared/data/pcap"));

    @TempDir
    Path dir;

    private CamelContext camel;

    /** ByteBuffer equality compares the remaining bytes, so records of packets compare by content. */
    private record Packet(int link, long nanos, int original, ByteBuffer bytes) {}

    @BeforeEach
    void start() {
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    private static List<Packet> read(Path file) throws Exception {
        List<Packet> packets = new ArrayList<>();
        CaptureReader.read(file, (link, nanos, original, frame) -> {
            ByteBuffer copy = ByteBuffer.allocate(frame.remaining());
            copy.put(frame.duplicate()).flip();
            packets.add(new Packet(link, nanos, original, copy));
        });
        return packets;
    }

    @Test
    void aCaptureReadByOneRouteAndWrittenByAnotherIsTheSamePacketForPacket() throws Exception {
        Path in = FOLDER.resolve("sanders_tcp_ports.pcapng");
        Path out = dir.resolve("copy.pcap");
        CountDownLatch done = new CountDownLatch(1);
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("pcap:file:" + in + "?batchSize=64").routeId("copy")
                        .process(e -> sizes.add(e.getMessage().getBody(PacketBatch.class).size()))
                        .to("pcap:file:" + out)
                        .process(e -> {
                            if (e.getMessage().getBody(PacketBatch.class).last()) {
                                done.countDown();
                            }
                        });
            }
        });
        assertTrue(done.await(30, TimeUnit.SECONDS), "the capture's last batch arrived");
        camel.getRouteController().stopRoute("copy");
        assertTrue(sizes.stream().allMatch(n -> n <= 64), "batches keep to batchSize: " + sizes);
        assertEquals(505, sizes.stream().mapToInt(Integer::intValue).sum());
        assertEquals(read(in), read(out), "same link type, time, lengths and bytes for every packet");
    }

    @Test
    void appendingToAFileThatIsNoPcapFailsEveryTimeWithTheSameReason() throws Exception {
        Path out = dir.resolve("notes.pcap");
        java.nio.file.Files.writeString(out, "these are an analyst's notes, not a capture\n");
        PacketBatch batch = new PacketBatch("test", 4);
        batch.add(io.amoskys.pcap.LinkType.RAW, 1, 20, ByteBuffer.wrap(new byte[20]));
        org.apache.camel.ProducerTemplate producer = camel.createProducerTemplate();
        for (int attempt = 1; attempt <= 2; attempt++) {
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                    () -> producer.sendBody("pcap:file:" + out + "?append=true", batch));
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            assertTrue(cause.getMessage().contains("is not a little-endian pcap file; cannot append to it"),
                    "attempt " + attempt + ": " + cause.getMessage());
        }
        assertEquals("these are an analyst's notes, not a capture\n", java.nio.file.Files.readString(out), "left as it was");
    }

    @Test
    void pacedReplayTakesTheCapturesOwnTimeDividedBySpeed() throws Exception {
        // ppa_http.cap spans 30.39 s; at 20 times its speed that is at least 1.5 s.
        Path in = FOLDER.resolve("ppa_http.cap");
        CountDownLatch done = new CountDownLatch(1);
        long started = System.nanoTime();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("pcap:file:" + in + "?pace=true&speed=20").process(e -> {
                    if (e.getMessage().getBody(PacketBatch.class).last()) {
                        done.countDown();
                    }
                });
            }
        });
        assertTrue(done.await(30, TimeUnit.SECONDS));
        double seconds = (System.nanoTime() - started) / 1e9;
        assertTrue(seconds >= 30.39 / 20, "paced: " + seconds + " s");
    }

    @Test
    void anUnknownModeIsNamed() {
        Exception mode = assertThrows(FailedToCreateRouteException.class, () -> camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("pcap:tape:x").to("log:x");
            }
        }));
        assertTrue(mode.getCause().getCause().getMessage().contains("unknown mode 'tape'"), mode.toString());
    }

    @Test
    void damagedCapturesReachTheirEndWithTheDamageCountedAndTheRouteKeepsRunning() throws Exception {
        byte[] clean = Files.readAllBytes(FOLDER.resolve("slips_ssh_bruteforce_nmap.pcap"));
        java.util.Random random = new Random(7);
        List<CaptureStats> ends = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(20);
        for (int i = 0; i < 20; i++) {
            byte[] data = clean.clone();
            for (int hit = 0; hit < 10; hit++) {
                data[24 + random.nextInt(data.length - 24)] = (byte) random.nextInt(256);
            }
            Path damaged = dir.resolve("damaged-" + i + ".pcap");
            Files.write(damaged, Arrays.copyOf(data, data.length - random.nextInt(100)));
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("pcap:file:" + damaged + "?batchSize=128").process(e -> {
                        PacketBatch batch = e.getMessage().getBody(PacketBatch.class);
                        if (batch.last()) {
                            ends.add(batch.stats());
                            done.countDown();
                        }
                    });
                }
            });
        }
        assertTrue(done.await(60, TimeUnit.SECONDS), "every damaged capture reached its end: " + ends.size());
        assertTrue(ends.stream().allMatch(s -> s.packets() > 500), "most of each file was still read: " + ends);
        assertTrue(ends.stream().mapToLong(CaptureStats::errorCount).sum() > 0, "damage was counted");
        assertTrue(camel.getRoutes().stream().allMatch(r -> camel.getRouteController().getRouteStatus(r.getRouteId()).isStarted()));
    }
}
