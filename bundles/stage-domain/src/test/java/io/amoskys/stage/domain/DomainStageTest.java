package io.amoskys.stage.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.stage.canonical.CanonicalStage;
import java.lang.annotation.Annotation;
import org.junit.jupiter.api.Test;

class DomainStageTest {
    private static final long S = 1_000_000_000L;
    /** Wednesday 2026-11-25 12:00:00 UTC. */
    private static final long NOON = 1_795_608_000L * S;
    private final CanonicalStage canonical = new CanonicalStage();
    private final DomainStage stage = stage("07-19");

    private static DomainStage stage(String hours) {
        return new DomainStage(new DomainStage.Config() {
            public int maxEntities() { return 100; }
            public int idleMinutes() { return 120; }
            public String zone() { return "UTC"; }
            public String workHours() { return hours; }
            public String workDays() { return "MON-FRI"; }
            public Class<? extends Annotation> annotationType() { return DomainStage.Config.class; }
        });
    }

    private FeatureVector run(TelemetryEvent e) {
        return stage.process(e, canonical.process(e, null));
    }

    private static TelemetryEvent.Builder flow(long seq, long nanos, String dst, int dport) {
        return TelemetryEvent.builder().agentId("a").sequence(seq).entityId("host:10.0.0.1").kind("flow").timestampNanos(nanos)
                .label("proto", "tcp").label("dst", dst).label("dport", Integer.toString(dport));
    }

    @Test
    void aSynScanIsHalfOpenFailedAndSpreadOverManyPorts() {
        FeatureVector v = null;
        for (int port = 1; port <= 200; port++) {
            v = run(flow(port, NOON + port * S / 100, "10.0.0.2", port).metric("packets_fwd", 1).metric("syn_fwd", 1)
                    .metric("packets_rev", 1).metric("rst_rev", 1).build());
        }
        assertEquals(1, v.get("half_open_ratio_1m"), 1e-9);
        assertEquals(1, v.get("failed_conn_ratio_1m"), 1e-9, "every probe was reset");
        assertEquals(0, v.get("no_handshake_ratio_1m"), 1e-9);
        assertTrue(v.get("port_entropy_1m") > 5.5, "200 ports over 64 bins: near 6 bits, was " + v.get("port_entropy_1m"));
        assertTrue(v.get("top_service_share_1m") < 0.05, "no service stands out: " + v.get("top_service_share_1m"));
        assertEquals(0, v.get("off_hours"), "noon on a Wednesday");
    }

    @Test
    void repeatedLoginsToOneServiceAreABruteForceShape() {
        FeatureVector v = null;
        for (int i = 0; i < 30; i++) {
            v = run(flow(i, NOON + i * 2 * S, "10.0.0.9", 22).metric("packets_fwd", 12).metric("packets_rev", 11)
                    .metric("syn_fwd", 1).metric("payload_fwd", 500).build());
        }
        assertEquals(1, v.get("top_service_share_1m"), 1e-9);
        double expected = 0;
        for (int i = 0; i < 30; i++) {
            expected += Math.exp(-(29 - i) * 2.0 / 60);
        }
        assertEquals(expected / 60, v.get("login_flow_rate_1m"), 1e-9, "ssh flows per second, decayed");
        assertEquals(expected / 60, v.get("top_service_rate_1m"), 1e-9);
        assertTrue(v.get("flow_gap_cv_10m") < 1e-6, "one flow every 2 s exactly");
        assertEquals(0, v.get("new_dst_rate_1m") * 60 - Math.exp(-58.0 / 60), 1e-9, "only the first flow went somewhere new");
    }

    @Test
    void aServiceSeesHowManyHostsReachItAndWhetherOneDominates() {
        FeatureVector v = null;
        double expectedRate = 0;
        for (int i = 0; i < 12; i++) { // twelve hosts, one unanswered flow each, to one web server
            long at = NOON + i * S;
            v = run(flow(i, at, "10.0.0.80", 80).entityId("host:10.1.0." + i).metric("packets_fwd", 1).metric("syn_fwd", 1).build());
        }
        for (int i = 0; i < 12; i++) {
            expectedRate += Math.exp(-(11 - i) / 60.0);
        }
        assertEquals(12, v.get("service_distinct_src_1m"), 1e-9, "exact below 17 sources");
        assertEquals(expectedRate / 60, v.get("service_flow_rate_1m"), 1e-9, "flows per second, decayed");
        assertEquals(1, v.get("service_failed_ratio_1m"), 1e-9, "none answered");
        // The newest flow weighs most, and a few of twelve sources may share one of the 16 bins.
        assertTrue(v.get("service_top_src_share_1m") < 0.4, "no source dominates: " + v.get("service_top_src_share_1m"));

        FeatureVector other = run(flow(100, NOON + 12 * S, "10.0.0.80", 443).entityId("host:10.1.0.1").metric("packets_fwd", 3)
                .metric("packets_rev", 3).build());
        assertEquals(1, other.get("service_distinct_src_1m"), 1e-9, "another port is another service");
        assertEquals(0, other.get("service_failed_ratio_1m"), 1e-9);
        assertEquals(1, other.get("service_top_src_share_1m"), 1e-9, "one source so far");
    }

    @Test
    void aPairOfAddressesCountsThePortsBetweenThemInBothDirections() {
        FeatureVector v = null;
        for (int port = 1; port <= 10; port++) { // a vertical scan: ten ports of one target, each reset
            v = run(flow(port, NOON + port * S, "10.0.0.2", port).label("src", "10.0.0.1").metric("packets_fwd", 1)
                    .metric("syn_fwd", 1).metric("packets_rev", 1).metric("rst_rev", 1).build());
        }
        assertEquals(10, v.get("pair_distinct_ports_1m"), 1e-9, "exact below 17 ports");
        assertEquals(1, v.get("pair_failed_ratio_1m"), 1e-9);
        FeatureVector back = run(flow(11, NOON + 11 * S, "10.0.0.1", 22).entityId("host:10.0.0.2").label("src", "10.0.0.2")
                .metric("packets_fwd", 5).metric("packets_rev", 5).build());
        assertEquals(11, back.get("pair_distinct_ports_1m"), 1e-9, "the target's own flow back is the same conversation");
        double expected = 0;
        for (int i = 1; i <= 11; i++) {
            expected += Math.exp(-(11 - i) / 60.0);
        }
        assertEquals(expected / 60, back.get("pair_flow_rate_1m"), 1e-9);
        assertEquals((expected - 1) / expected, back.get("pair_failed_ratio_1m"), 1e-9, "decayed: all but the newest failed");
    }

    @Test
    void aSweepOfServicesDoesNotPushTheHostsOutOfTheirTable() {
        FeatureVector first = run(flow(1, NOON, "10.0.0.80", 443).metric("packets_fwd", 5).metric("packets_rev", 5).build());
        assertEquals(1, first.get("new_dst_ratio_10m"), 1e-9, "the host's first destination is new");
        for (int port = 1; port <= 300; port++) { // another host sweeps three times the cap of services
            run(flow(1 + port, NOON + port * S / 1000, "10.0.0.2", port).entityId("host:10.9.9.9").metric("packets_fwd", 1)
                    .metric("syn_fwd", 1).build());
        }
        FeatureVector again = run(flow(400, NOON + S, "10.0.0.80", 443).metric("packets_fwd", 5).metric("packets_rev", 5).build());
        double older = Math.exp(-1.0 / 600); // the first flow's weight one second later (time constant 10m)
        assertEquals(older / (older + 1), again.get("new_dst_ratio_10m"), 1e-9,
                "the host's state survived the sweep: its destination is not new again");

        StringBuilder metrics = new StringBuilder();
        stage.writePrometheus(metrics);
        String text = metrics.toString();
        // 302 services made (the host's, the 300 swept, the host's again after the sweep pushed it out) in a table of 100.
        assertTrue(text.contains("amoskys_stage_domain_entities_evicted_total{space=\"service\",reason=\"capacity\"} 202\n"), text);
        assertTrue(text.contains("amoskys_stage_domain_entities_evicted_total{space=\"flow\",reason=\"capacity\"} 0\n"), text);
        assertTrue(text.contains("amoskys_stage_domain_entities{space=\"flow\"} 2\n"), text);
        assertTrue(text.contains("amoskys_stage_domain_entities_max{space=\"pair\"} 100\n"), text);
    }

    @Test
    void tunnelledDnsNamesAreLongRandomAndOfUnusualTypes() {
        TelemetryEvent.Builder dns = TelemetryEvent.builder().agentId("a").sequence(1).entityId("host:10.0.0.1").kind("dns")
                .timestampNanos(NOON).label("direction", "query");
        FeatureVector tunnel = run(dns.label("query", "aGVsbG8gd29ybGQx0a9zZ3k.t1.example.com").label("qtype", "10")
                .metric("query_length", 37).build());
        FeatureVector plain = run(dns.sequence(2).label("query", "www.example.com").label("qtype", "1").build());
        assertTrue(tunnel.get("name_entropy") > 4 && plain.get("name_entropy") < 3.3,
                tunnel.get("name_entropy") + " vs " + plain.get("name_entropy"));
        assertEquals(1, tunnel.get("unusual_qtype"));
        assertEquals(0, plain.get("unusual_qtype"));
        assertEquals(4, tunnel.get("label_count"));
        assertEquals(23, tunnel.get("longest_label"));
    }

    @Test
    void oneHardwareAddressClaimingTwoAddressesIsSeenOnTheSegment() {
        TelemetryEvent.Builder arp = TelemetryEvent.builder().agentId("a").entityId("host:x").kind("arp").timestampNanos(NOON)
                .label("source", "eth0").label("op", "is-at").metric("reply", 1);
        FeatureVector gateway = run(arp.sequence(1).label("sender_ip", "172.16.0.1").label("sender_mac", "00:11").label("target_ip", "172.16.0.9").build());
        FeatureVector poison = run(arp.sequence(2).label("sender_ip", "172.16.0.1").label("sender_mac", "00:25").build());
        FeatureVector victim = run(arp.sequence(3).label("sender_ip", "172.16.0.105").label("sender_mac", "00:25").build());
        assertEquals(1, gateway.get("ips_per_mac"));
        assertEquals(0, gateway.get("mac_changed"));
        assertEquals(1, poison.get("mac_changed"), "172.16.0.1 moved to another hardware address");
        assertEquals(2, victim.get("ips_per_mac"), "00:25 claims the gateway and the victim");
    }

    @Test
    void aFloodOfMadeUpSendersDoesNotMakeTheSegmentForgetItsGateway() {
        TelemetryEvent.Builder arp = TelemetryEvent.builder().agentId("a").entityId("host:x").kind("arp")
                .label("source", "eth0").label("op", "is-at").metric("reply", 1);
        long seq = 0;
        for (int minute = 0; minute < 3; minute++) { // the gateway and the attacker's own address, refreshed every minute
            run(arp.sequence(++seq).timestampNanos(NOON + minute * 60 * S).label("sender_ip", "172.16.0.1").label("sender_mac", "00:11").build());
            run(arp.sequence(++seq).timestampNanos(NOON + minute * 60 * S).label("sender_ip", "172.16.0.66").label("sender_mac", "00:25").build());
        }
        long flood = NOON + 3 * 60 * S;
        for (int i = 0; i < 3 * ArpDomain.ESTABLISHED_BINDINGS; i++) { // each made-up sender once, in a second
            run(arp.sequence(++seq).timestampNanos(flood + i * (S / 20_000)).label("sender_ip", "10." + (i >> 16) + "." + (i >> 8 & 255) + "." + (i & 255))
                    .label("sender_mac", "02:" + Integer.toHexString(i)).build());
        }
        FeatureVector poison = run(arp.sequence(++seq).timestampNanos(flood + S).label("sender_ip", "172.16.0.1").label("sender_mac", "00:25").build());
        assertEquals(1, poison.get("mac_changed"), "the gateway's binding outlived the flood");
        assertEquals(2, poison.get("ips_per_mac"), "00:25 claims its own address and the gateway's");
    }

    @Test
    void workingTimeAndPhysicalRanges() {
        DomainStage nights = stage("22-24");
        TelemetryEvent e = flow(1, NOON, "10.0.0.2", 80).build();
        assertEquals(1, nights.process(e, canonical.process(e, null)).get("off_hours"));
        assertEquals(Math.sin(Math.PI), run(e).get("hour_sin"), 1e-12, "noon is half way round the clock");
        assertEquals(0, SensorDomain.outOfRange("Cel", 25));
        assertEquals(0.5, SensorDomain.outOfRange("%RH", 150), 1e-12, "50 points over a 100-point range");
        assertEquals(0, SensorDomain.outOfRange("furlongs", -5), "no range known: no judgement");
        assertThrows(IllegalArgumentException.class, () -> stage("19-07"));
    }

    private FeatureVector flowOf(String host, long nanos, String dport) {
        return run(TelemetryEvent.builder().agentId("a").sequence(1).entityId(host).kind("flow").timestampNanos(nanos)
                .label("proto", "tcp").label("dst", "10.9.9.9").label("dport", dport).metric("packets_fwd", 1).build());
    }

    @Test
    void theWorkingTimeColumnsFollowEachSecondOfEventTime() {
        long closing = NOON + 7 * 3600 * S; // 19:00:00, the end of working hours
        FeatureVector justBefore = flowOf("host:a", closing - S / 10, "80");
        FeatureVector sameSecond = flowOf("host:b", closing - S + 1, "80");
        FeatureVector after = flowOf("host:c", closing, "80");
        assertEquals(0, justBefore.get("off_hours"));
        assertEquals(justBefore.get("hour_sin"), sameSecond.get("hour_sin"));
        assertEquals(justBefore.get("hour_cos"), sameSecond.get("hour_cos"));
        assertEquals(1, after.get("off_hours"), "19:00 is after hours");
        assertEquals(Math.sin(2 * Math.PI * 19 / 24), after.get("hour_sin"), 1e-12);
        assertEquals(Math.sin(2 * Math.PI * (18 + 59 / 60.0 + 59 / 3600.0) / 24), justBefore.get("hour_sin"), 1e-12);
    }

    @Test
    void aProcessFromTempOnANewExecutableAtNight() {
        TelemetryEvent started = TelemetryEvent.builder().agentId("p").sequence(1).entityId("process:web1:4242").kind("process")
                .timestampNanos(NOON).label("host", "web1").label("event", "start").label("exe", "/tmp/.x/miner")
                .label("uid", "0").metric("cpu_percent", 90).build();
        FeatureVector atNoon = run(started);
        assertEquals(1, atNoon.get("new_executable"));
        assertEquals(1, atNoon.get("runs_from_temp"));
        assertEquals(1, atNoon.get("root_user"));
        assertEquals(0, atNoon.get("off_hours"), "noon on a Wednesday");
        assertEquals(1, stage("22-24").process(started, canonical.process(started, null)).get("off_hours"), "outside 22-24");
        TelemetryEvent again = TelemetryEvent.builder().agentId("p").sequence(2).entityId("process:web1:4243").kind("process")
                .timestampNanos(NOON + 11 * 3600 * S).label("host", "web1").label("event", "start").label("exe", "/tmp/.x/miner")
                .label("uid", "0").metric("cpu_percent", 90).build();
        FeatureVector atNight = run(again);
        assertEquals(0, atNight.get("new_executable"), "the host ran it the same day");
        assertEquals(1, atNight.get("off_hours"), "23:00 is after hours");
    }

    @Test
    void aPortIsANumberInAnyScriptAndANameIsNoPort() {
        assertEquals(1, flowOf("host:d", NOON, "\u0664\u0664\u0663").get("low_port_share_1m"), "443 in Arabic-Indic digits");
        assertEquals(1, flowOf("host:e", NOON, "22").get("low_port_share_1m"));
        assertEquals(0, flowOf("host:f", NOON, "8080").get("low_port_share_1m"));
        FeatureVector named = flowOf("host:g", NOON, "http");
        assertEquals(0, named.get("low_port_share_1m"), "no numeric port: not counted");
        assertEquals(1, flowOf("host:g", NOON + S, "22").get("low_port_share_1m"), "the named port did not count as a high one");
    }

    @Test
    void aLoginServiceIsNamedByItsPortAsWritten() {
        assertTrue(flowOf("host:h", NOON, "22").get("login_flow_rate_1m") > 0, "ssh");
        assertTrue(flowOf("host:i", NOON, "3389").get("login_flow_rate_1m") > 0, "rdp");
        assertEquals(0, flowOf("host:j", NOON, "022").get("login_flow_rate_1m"), "a leading zero: not the label a login service has");
        assertEquals(0, flowOf("host:k", NOON, "2\u0662").get("login_flow_rate_1m"), "22 partly in Arabic-Indic digits");
        assertEquals(0, flowOf("host:l", NOON, "ssh").get("login_flow_rate_1m"), "a name");
        assertEquals(0, flowOf("host:m", NOON, "2222").get("login_flow_rate_1m"), "another port");
    }
}
