package io.amoskys.stage.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.stage.canonical.CanonicalStage;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TemporalStageTest {
    private static final long S = 1_000_000_000L;
    private final CanonicalStage canonical = new CanonicalStage();

    private static TemporalStage stage(int maxEntities) {
        return new TemporalStage(new TemporalStage.Config() {
            public int maxEntities() { return maxEntities; }
            public int idleMinutes() { return 30; }
            public Class<? extends Annotation> annotationType() { return TemporalStage.Config.class; }
        });
    }

    private static TelemetryEvent flow(long seq, String host, long nanos, double bytes, String dport) {
        return TelemetryEvent.builder().agentId("flow@test").sequence(seq).entityId("host:" + host).kind("flow")
                .timestampNanos(nanos).label("dst", "10.0.0." + (seq % 7)).label("dport", dport)
                .metric("bytes_fwd", bytes).metric("bytes_rev", 10).metric("packets_fwd", 2).metric("packets_rev", 1)
                .metric("duration_s", 0.5).build();
    }

    private FeatureVector through(TemporalStage stage, TelemetryEvent e) {
        return stage.process(e, canonical.process(e, null));
    }

    /** Rates, means and distinct counts match a direct computation over every event so far, with gaps and late events. */
    @Test
    void columnsMatchAStraightforwardComputationOverTheSameEvents() {
        TemporalStage stage = stage(100);
        Random random = new Random(7);
        List<long[]> seen = new ArrayList<>(); // time, bytes
        long clock = 1_700_000_000L * S;
        long newest = Long.MIN_VALUE;
        for (int i = 0; i < 400; i++) {
            clock += random.nextInt(10) == 0 ? 30 * S : random.nextInt(2 * (int) (S / 10)); // bursts and gaps
            long t = random.nextInt(8) == 0 ? clock - random.nextInt((int) S) : clock;     // some arrive late
            long bytes = 40 + random.nextInt(2000);
            String port = Integer.toString(random.nextInt(50));
            FeatureVector v = through(stage, flow(i, "a", t, bytes, port));
            seen.add(new long[] {t, bytes});
            newest = Math.max(newest, t);

            double tau = 10.0;
            double weight = 0;
            double weightedBytes = 0;
            for (long[] e : seen) {
                double w = Math.exp(-(newest - e[0]) / (tau * S));
                weight += w;
                weightedBytes += w * (e[1] + 10);
            }
            assertEquals(weight / tau, v.get("flows_rate_10s"), 1e-9 * Math.max(1, weight), "flows_rate_10s at event " + i);
            assertEquals(weightedBytes / tau, v.get("bytes_rate_10s"), 1e-6 * Math.max(1, weightedBytes), "bytes_rate_10s at " + i);
            assertEquals(weightedBytes / weight, v.get("flow_bytes_mean_10s"), 1e-6 * weightedBytes / weight, "mean at " + i);
        }
        assertEquals(50, through(stage, flow(1000, "a", newest, 1, "1")).get("distinct_dst_ports_10m"), 3,
                "the 50 ports used, within the sketch's error");
    }

    @Test
    void distinctPortsInTheCurrentAndPreviousWindowAreCounted() {
        TemporalStage stage = stage(100);
        long t0 = 600 * S * 1000; // the start of a 10-minute epoch
        FeatureVector v = null;
        for (int port = 0; port < 30; port++) {
            v = through(stage, flow(port, "scanner", t0 + port * S / 100, 0, Integer.toString(port)));
        }
        assertEquals(30, v.get("distinct_dst_ports_1m"), 1);
        assertEquals(30, v.get("distinct_dst_ports_10m"), 1);
        assertEquals(7, v.get("distinct_dst_hosts_1m"), 0.5, "the test's destinations cycle through 7 addresses");
        FeatureVector later = through(stage, flow(99, "scanner", t0 + 200 * S, 0, "80"));
        assertEquals(1, later.get("distinct_dst_ports_1m"), 0.5, "two minutes later only the new port is in the last two 1m epochs");
        assertEquals(31, later.get("distinct_dst_ports_10m"), 1);
    }

    @Test
    void aLateFlowIsReadAgainstTheHostsStateAsItIsNow() {
        TemporalStage stage = stage(100);
        long t0 = 1_000 * S;
        FeatureVector last = null;
        for (int i = 0; i < 100; i++) {
            last = through(stage, flow(i, "a", t0 + i * S / 10, 500, Integer.toString(i)));
        }
        // A UDP flow reported at its idle timeout carries the time of its last packet, a minute back.
        FeatureVector late = through(stage, flow(100, "a", t0 - 55 * S, 700, "100"));
        assertEquals(last.get("distinct_dst_ports_1m"), late.get("distinct_dst_ports_1m"), 2, "the recent ports still count");
        assertEquals(510, late.get("flow_bytes_min_10s"), 1e-9, "the last 10 s held only 510-byte flows");
        assertEquals(last.get("flows_rate_10s"), late.get("flows_rate_10s"), 1e-3, "a flow a minute old adds almost nothing to 10 s");
    }

    @Test
    void vectorsKeepTheirCanonicalColumnsAndNameTheChain() {
        TemporalStage stage = stage(100);
        TelemetryEvent e = flow(1, "a", 5 * S, 100, "80");
        FeatureVector in = canonical.process(e, null);
        FeatureVector out = stage.process(e, in);
        assertEquals("flow:canonical.1+temporal.2", out.schema().name());
        assertEquals(in.size() + stage.columns("flow").size(), out.size());
        assertEquals(40, stage.columns("flow").size());
        assertEquals(in.get("bytes_fwd"), out.get("bytes_fwd"));
        TelemetryEvent dhcp = TelemetryEvent.builder().agentId("a").sequence(2).entityId("mac:x").kind("dhcp")
                .timestampNanos(5).metric("from_client", 1).build();
        FeatureVector passed = stage.process(dhcp, canonical.process(dhcp, null));
        assertEquals("dhcp:canonical.1+temporal.2", passed.schema().name());
        assertEquals(1, passed.size(), "a kind without temporal columns passes with none added");
    }

    @Test
    void theEntityCapEvictsTheLeastRecentlySeenAndCountsIt() {
        TemporalStage stage = stage(2);
        through(stage, flow(1, "a", 1 * S, 1, "1"));
        through(stage, flow(2, "b", 2 * S, 1, "1"));
        through(stage, flow(3, "a", 3 * S, 1, "1"));
        through(stage, flow(4, "c", 4 * S, 1, "1")); // b goes
        FeatureVector b = through(stage, flow(5, "b", 5 * S, 1, "1"));
        assertEquals(1.0 / 10, b.get("flows_rate_10s"), 1e-12, "b starts afresh: its first flow only");
        StringBuilder metrics = new StringBuilder();
        stage.writePrometheus(metrics);
        assertTrue(metrics.toString().contains("amoskys_stage_temporal_entities{space=\"flow\"} 2\n"), metrics.toString());
        assertTrue(metrics.toString().contains("amoskys_stage_temporal_entities_evicted_total{space=\"flow\",reason=\"capacity\"} 2\n"),
                metrics.toString());
    }

    @Test
    void flowsFromSpoofedSourcesSeenOnceDoNotPushOutAHostThatCameBack() {
        TemporalStage stage = stage(100);
        through(stage, flow(1, "a", S, 1, "1"));
        through(stage, flow(2, "a", S + 1, 1, "1")); // a came back: established
        for (int i = 0; i < 300; i++) { // three times the cap of spoofed sources, one flow each
            through(stage, flow(10 + i, "spoofed-" + i, S + 2 + i, 1, "1"));
        }
        FeatureVector a = through(stage, flow(400, "a", 2 * S, 1, "1"));
        assertEquals((2 * Math.exp(-0.1) + 1) / 10, a.get("flows_rate_10s"), 1e-9, "a's two flows are still counted");
    }

    @Test
    void arpFramesFromSpoofedAddressesDoNotPushTheHostsFlowsOut() {
        TemporalStage stage = stage(100);
        through(stage, flow(1, "a", S, 1, "1"));
        for (int i = 0; i < 300; i++) { // three times the cap of ARP senders, each address new
            TelemetryEvent arp = TelemetryEvent.builder().agentId("flow@test").sequence(10 + i).entityId("host:192.168.77." + i)
                    .kind("arp").timestampNanos(S + i).label("target_ip", "192.168.77.1").metric("reply", 0).build();
            through(stage, arp);
        }
        FeatureVector a = through(stage, flow(400, "a", 2 * S, 1, "1"));
        assertEquals((Math.exp(-0.1) + 1) / 10, a.get("flows_rate_10s"), 1e-12, "a's first flow is still counted");
        StringBuilder metrics = new StringBuilder();
        stage.writePrometheus(metrics);
        assertTrue(metrics.toString().contains("amoskys_stage_temporal_entities_evicted_total{space=\"arp\",reason=\"capacity\"} 200\n"),
                metrics.toString());
        assertTrue(metrics.toString().contains("amoskys_stage_temporal_entities_evicted_total{space=\"flow\",reason=\"capacity\"} 0\n"),
                metrics.toString());
    }

    @Test
    void aDetachedCopyStartsWithoutTheLiveState() {
        TemporalStage live = stage(100);
        through(live, flow(1, "a", S, 1, "1"));
        FeatureVector fresh = through((TemporalStage) live.detached(), flow(2, "a", S, 1, "1"));
        FeatureVector again = through(live, flow(3, "a", S, 1, "1"));
        assertEquals(0.1, fresh.get("flows_rate_10s"), 1e-12);
        assertEquals(0.2, again.get("flows_rate_10s"), 1e-12);
    }
}
