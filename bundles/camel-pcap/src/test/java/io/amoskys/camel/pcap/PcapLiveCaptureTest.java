package io.amoskys.camel.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.pcap.LinkType;
import io.amoskys.pcap.LiveCaptureStats;
import io.amoskys.pcap.PacketBatch;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
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

    /** A veth pair whose first end has 198.18.99.1 and a neighbour, so datagrams leave it without ARP. */
    private static void vethUp(String name) throws Exception {
        shell("ip link del " + name + " 2>/dev/null; ip link add " + name + " type veth peer name " + name + "p"
                + " && ip addr add 198.18.99.1/24 dev " + name + " && ip link set " + name + "p up && ip link set " + name + " up"
                + " && ip neigh replace 198.18.99.2 lladdr 02:00:00:00:00:02 dev " + name);
    }

    private static void shell(String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), command + ": " + output);
    }

    /** Sends datagrams marked {@code prefix} until {@code captured} of them came through, or 20 s passed. */
    private void sendUntilCaptured(DatagramSocket sender, int port, String prefix, int captured) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int sent = 0;
        while (payloads.stream().filter(p -> p.contains(prefix)).count() < captured && System.nanoTime() < deadline) {
            byte[] data = (prefix + sent++).getBytes(StandardCharsets.US_ASCII);
            try {
                sender.send(new DatagramPacket(data, data.length, InetAddress.getByName("198.18.99.2"), port));
            } catch (java.io.IOException e) {
                // no route while the interface is away: send again
            }
            Thread.sleep(50); // pacing the sender, not synchronising on the capture
        }
        assertTrue(payloads.stream().filter(p -> p.contains(prefix)).count() >= captured, "captured " + payloads);
    }

    @Test
    void anInterfaceThatGoesAwayAndComesBackIsCapturedAgainAndTheFailureCounted() throws Exception {
        String nic = "amxcap0";
        vethUp(nic);
        CountDownLatch failed = new CountDownLatch(1);
        List<LiveCaptureStats> stats = new CopyOnWriteArrayList<>();
        try (DatagramSocket sender = new DatagramSocket()) {
            int port = 40_999;
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("pcap:live:" + nic + "?filter=udp and dst port " + port).process(e -> {
                        PacketBatch batch = e.getMessage().getBody(PacketBatch.class);
                        batches.add(batch);
                        stats.add(batch.liveStats());
                        if (batch.liveStats().interfaceFailures() > 0) {
                            failed.countDown();
                        }
                        batch.forEach((link, nanos, original, frame) -> {
                            byte[] bytes = new byte[frame.remaining()];
                            frame.duplicate().get(bytes);
                            String text = new String(bytes, StandardCharsets.ISO_8859_1);
                            int marker = Math.max(text.indexOf("before-"), text.indexOf("after-"));
                            payloads.add(marker < 0 ? "other" : text.substring(marker));
                        });
                    });
                }
            });
            sendUntilCaptured(sender, port, "before-", 3);

            shell("ip link del " + nic);
            assertTrue(failed.await(20, TimeUnit.SECONDS), "the failure reaches the route: " + stats.get(stats.size() - 1));
            int batchesWhenFailed = batches.size();
            Thread.sleep(1000); // the interface stays away a second: the outage under test, not a wait for a result
            int batchesWhileAway = batches.size() - batchesWhenFailed;
            vethUp(nic);
            sendUntilCaptured(sender, port, "after-", 3);

            LiveCaptureStats last = stats.get(stats.size() - 1);
            assertEquals(1, last.interfaceFailures(), last.toString());
            assertTrue(last.lastFailure().startsWith(nic + ": "), last.lastFailure());
            // The capture waits to reopen instead of reading a dead handle: a spin sent hundreds of empty batches a second.
            assertTrue(batchesWhileAway <= 2, batchesWhileAway + " batches while the interface was away");
        } finally {
            shell("ip link del " + nic + " 2>/dev/null || true");
        }
    }

    private static boolean captureThreadRuns(String nic) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().endsWith("pcap-live-" + nic) && t.isAlive());
    }

    @Test
    void stoppingACaptureOnAQuietWireEndsItsThreadAndHandle() throws Exception {
        // libpcap's read does not return on a quiet wire (TPACKET_V3): the stop must wake it.
        String nic = "amxq0";
        vethUp(nic);
        try {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("pcap:live:" + nic + "?filter=udp and dst port 40998").routeId("quiet").to("log:quiet?level=OFF");
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!captureThreadRuns(nic) && System.nanoTime() < deadline) {
                Thread.sleep(20); // a pause between two probes, not a synchronisation
            }
            assertTrue(captureThreadRuns(nic), "the capture started");
            camel.getRouteController().stopRoute("quiet");
            assertFalse(captureThreadRuns(nic), "the capture thread ended with the route's stop");
        } finally {
            shell("ip link del " + nic + " 2>/dev/null || true");
        }
    }

    @Test
    void dropCountersThatWrapOrGoBackAddNoDrops() {
        assertEquals(12, PcapLiveConsumer.plausibleRise(12));
        assertEquals(0, PcapLiveConsumer.plausibleRise(-3), "a NIC's /sys counters reset");
        assertEquals(0, PcapLiveConsumer.plausibleRise(0xFFFF_FFFFL - 5), "libpcap's 32 bits wrapped below zero");
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
