package io.amoskys.agent.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.EventKinds;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.pcap.LinkType;
import io.amoskys.pcap.LiveCaptureStats;
import io.amoskys.pcap.PacketBatch;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowAgentTest {
    private static FlowAgent agent(int maxSources) {
        return agent(maxSources, 60, 5);
    }

    private static FlowAgent agent(int maxSources, double idleTimeoutSeconds, double closeTimeoutSeconds) {
        return new FlowAgent(new FlowAgent.Config() {
            public int maxFlows() { return 100_000; }
            public double idleTimeoutSeconds() { return idleTimeoutSeconds; }
            public double activeTimeoutSeconds() { return 1800; }
            public double closeTimeoutSeconds() { return closeTimeoutSeconds; }
            public int maxSources() { return maxSources; }
            public Class<? extends Annotation> annotationType() { return FlowAgent.Config.class; }
        });
    }

    @Test
    void aReplayedCaptureBecomesFlowEventsForEverySubscriber() throws Exception {
        FlowAgent agent = agent(4);
        List<TelemetryEvent> events = new ArrayList<>();
        agent.subscribe(events::add);
        FlowAgent.Summary summary = agent.replay(TsharkFlowAgreementTest.FOLDER.resolve("ppa_http.cap"));

        assertEquals(43, summary.packets());
        assertEquals(summary.flows(), events.stream().filter(e -> e.kind().equals(EventKinds.FLOW)).count());
        assertEquals(summary.observations(), events.stream().filter(e -> e.kind().equals(EventKinds.DNS)).count(),
                "the capture's DNS lookup, question and answer");
        assertEquals(summary.flows() + summary.observations(), events.size());
        assertEquals(0, summary.errorCount());
        TelemetryEvent web = events.stream().filter(e -> "65.208.228.223".equals(e.labels().get("dst"))).findFirst().orElseThrow();
        assertEquals(EventKinds.FLOW, web.kind());
        assertEquals("host:145.254.160.237", web.entityId());
        assertEquals("http", web.labels().get("app"));
        assertEquals("tcp", web.labels().get("proto"));
        assertEquals(16.0, web.metrics().get("packets_fwd"), "as tshark counts the conversation");
        assertEquals(18.0, web.metrics().get("packets_rev"));
        assertTrue(summary.toString().matches("43 packets, \\d+ flows, 2 ARP/DHCP/DNS messages, 0 errors, [\\d.]+ s, [\\d.]+ [kM] packets/s"),
                summary.toString());
    }

    @Test
    void batchesOfSeveralSourcesKeepTheirOwnTablesAndTheLastBatchReportsOpenFlows() throws Exception {
        FlowAgent agent = agent(4);
        List<TelemetryEvent> events = new ArrayList<>();
        agent.subscribe(events::add);
        List<PacketBatch> dns = new ArrayList<>();
        PacketBatch.readFile(TsharkFlowAgreementTest.FOLDER.resolve("ppa_dns.cap"), 16, dns::add);
        for (PacketBatch batch : dns.subList(0, dns.size() - 1)) {
            agent.input(batch);
        }
        long beforeEnd = events.size();
        agent.input(dns.get(dns.size() - 1));
        assertTrue(events.size() > beforeEnd, "the capture's end reports the flows still open");
        assertTrue(events.stream().allMatch(e -> e.labels().get("source").endsWith("ppa_dns.cap")));
    }

    @Test
    void pastMaxSourcesTheSourceFedLeastRecentlyIsReportedToMakeRoom() throws Exception {
        FlowAgent agent = agent(1);
        List<TelemetryEvent> events = new ArrayList<>();
        agent.subscribe(events::add);
        List<PacketBatch> first = new ArrayList<>();
        PacketBatch.readFile(TsharkFlowAgreementTest.FOLDER.resolve("ppa_dns.cap"), 16, first::add);
        agent.input(first.get(0)); // a capture stopped in the middle of its file holds the only place
        assertTrue(events.stream().noneMatch(e -> e.kind().equals(EventKinds.FLOW)), "its flows are still open");

        FlowAgent.Summary summary = agent.replay(TsharkFlowAgreementTest.FOLDER.resolve("ppa_http.cap"));
        assertEquals(43, summary.packets());
        assertTrue(events.stream().anyMatch(e -> e.kind().equals(EventKinds.FLOW) && e.labels().get("source").endsWith("ppa_dns.cap")),
                "the stale capture's open flows were reported when it made room");
    }

    @Test
    void makingRoomForASourceWhoseNameSharesAHashLosesNeitherItsFlowsNorTheOthers() throws Exception {
        assertEquals("Aa".hashCode(), "BB".hashCode(), "the two names land in the same bin of the sources' map");
        FlowAgent agent = agent(1);
        List<TelemetryEvent> events = new ArrayList<>();
        agent.subscribe(events::add);
        List<PacketBatch> http = new ArrayList<>();
        PacketBatch.readFile(TsharkFlowAgreementTest.FOLDER.resolve("ppa_http.cap"), 1024, http::add);
        PacketBatch aa = new PacketBatch("Aa", 1024);
        http.get(0).forEach(aa::add);
        agent.input(aa);
        PacketBatch bb = new PacketBatch("BB", 1024);
        http.get(0).forEach(bb::add);
        agent.input(bb); // makes room: Aa, in the same bin, is reported and dropped
        assertTrue(events.stream().anyMatch(e -> "Aa".equals(e.labels().get("source"))), "Aa's flows, reported to make room");
        agent.deactivate(); // reports what is still open
        long fromAa = events.stream().filter(e -> "Aa".equals(e.labels().get("source"))).count();
        assertEquals(fromAa, events.stream().filter(e -> "BB".equals(e.labels().get("source"))).count(),
                "the same packets: BB's table reports as much as Aa's did");
        assertEquals(2 * fromAa, events.size());
    }

    @Test
    void metricsSayPerSourceWhatWasReadWhatCouldNotBeAndWhatTheLiveCaptureLost() throws Exception {
        FlowAgent agent = agent(4);
        List<PacketBatch> batches = new ArrayList<>();
        PacketBatch.readFile(TsharkFlowAgreementTest.FOLDER.resolve("ppa_http.cap"), 1024, batches::add);
        PacketBatch live = new PacketBatch("live:test\"0", 1024);
        batches.get(0).forEach(live::add);
        live.add(LinkType.ETHERNET, 1, 3, java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3})); // no Ethernet frame
        live.liveStats(new LiveCaptureStats(7, 1, 2, "test0: The interface disappeared"));
        agent.input(live);

        StringBuilder text = new StringBuilder();
        agent.writePrometheus(text);
        String metrics = text.toString();
        assertTrue(metrics.contains("amoskys_flow_packets_total{source=\"live:test\\\"0\"} 44\n"), metrics);
        assertTrue(metrics.contains("amoskys_flow_errors_total{source=\"live:test\\\"0\",class=\"MALFORMED_PACKET\"} 1\n"), metrics);
        assertTrue(metrics.contains("amoskys_capture_dropped_total{source=\"live:test\\\"0\",by=\"kernel\"} 7\n"), metrics);
        assertTrue(metrics.contains("amoskys_capture_dropped_total{source=\"live:test\\\"0\",by=\"interface\"} 1\n"), metrics);
        assertTrue(metrics.contains("amoskys_capture_interface_failures_total{source=\"live:test\\\"0\"} 2\n"), metrics);
        agent.deactivate();
    }

    @Test
    void aQuietLiveSourceStillReportsItsIdleFlows() throws Exception {
        FlowAgent agent = agent(4, 2, 1);
        java.util.concurrent.BlockingQueue<TelemetryEvent> events = new java.util.concurrent.LinkedBlockingQueue<>();
        agent.subscribe(events::add);
        // A live capture's batch: the packets of an HTTP exchange, each batch stamped with
        // the wall clock of its last packet, then no traffic at all (libpcap returns nothing).
        List<PacketBatch> batches = new ArrayList<>();
        PacketBatch.readFile(TsharkFlowAgreementTest.FOLDER.resolve("ppa_http.cap"), 1024, batches::add);
        long[] lastPacket = {0};
        PacketBatch live = new PacketBatch("live:test0", 1024);
        batches.get(0).forEach((link, nanos, length, frame) -> {
            lastPacket[0] = Math.max(lastPacket[0], nanos);
            live.add(link, nanos, length, frame);
        });
        live.clockNanos(lastPacket[0]);
        agent.input(live);
        int reported = events.size();
        events.clear();

        // Without a packet the table's clock stands still; the agent's quiet clock moves it on.
        TelemetryEvent late = events.poll(30, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(late != null, "flows left open are reported with no further packet (" + reported + " before)");
        assertEquals("live:test0", late.labels().get("source"));
        agent.deactivate();
    }
}
