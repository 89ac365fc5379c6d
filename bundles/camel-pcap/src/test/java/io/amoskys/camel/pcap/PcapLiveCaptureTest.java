package io.amoskys.camel.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.pcap.LinkType;
import io.amoskys.pcap.PacketBatch;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Live capture through the real libpcap on the loopback interface (the tests run as root, as CI
 * does; .ci/test installs libpcap): datagrams this test sends to itself are captured, with a BPF
 * filter keeping only them.
 */
class PcapLiveCaptureTest {
    private CamelContext camel;
    private final List<PacketBatch> batches = new CopyOnWriteArrayList<>();
    private final List<String> payloads = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void datagramsSentOnLoopbackAreCapturedThroughTheFilter() throws Exception {
        try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                DatagramSocket sender = new DatagramSocket()) {
            int port = receiver.getLocalPort();
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("pcap:live:lo?filter=udp and dst port " + port + "&snaplen=2048").process(e -> {
                        PacketBatch batch = e.getMessage().getBody(PacketBatch.class);
                        batches.add(batch);
                        batch.forEach((link, nanos, original, frame) -> {
                            byte[] bytes = new byte[frame.remaining()];
                            frame.duplicate().get(bytes);
                            String text = new String(bytes, StandardCharsets.ISO_8859_1);
                            payloads.add(link + "|" + text.substring(text.indexOf("amoskys-")));
                        });
                    });
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int sent = 0;
            // The capture opens asynchronously with the route: send until the first datagrams show.
            while (payloads.size() < 5 && System.nanoTime() < deadline) {
                byte[] data = ("amoskys-" + sent++).getBytes(StandardCharsets.US_ASCII);
                sender.send(new DatagramPacket(data, data.length, InetAddress.getLoopbackAddress(), port));
                Thread.sleep(50); // pacing the sender, not synchronising on the capture
            }
            assertTrue(payloads.size() >= 5, "captured " + payloads);
            assertTrue(payloads.stream().allMatch(p -> p.startsWith(LinkType.ETHERNET + "|amoskys-")), payloads.toString());
            assertTrue(batches.stream().allMatch(b -> b.clockNanos() > 0), "live batches carry the wall clock");
        }
    }

    @Test
    void aMissingInterfaceFailsTheRouteStartNamingIt() {
        Exception e = assertThrows(Exception.class, () -> camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("pcap:live:no-such-nic0").to("log:x");
            }
        }));
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = e.toString() + " / " + root.getMessage();
        assertTrue(message.contains("no-such-nic0"), message);
        assertEquals(0, batches.size());
    }
}
