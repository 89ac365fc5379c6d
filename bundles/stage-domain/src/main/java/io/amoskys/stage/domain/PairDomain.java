package io.amoskys.stage.domain;

import io.amoskys.api.event.EventKinds;
import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.feature.stats.DecayFactor;
import io.amoskys.feature.stats.DecayedMoments;
import io.amoskys.feature.stats.DistinctCounter;
import io.amoskys.feature.stats.EntityTable;
import io.amoskys.feature.stats.Hashes;
import io.amoskys.feature.stats.SchemaColumns;
import io.amoskys.feature.stats.Window;

/**
 * A flow seen as a conversation between two addresses (initiator, responder): how often they
 * talk, on how many ports, and how much of it fails. One host probing many ports of one target
 * (a vertical scan) shows here, where the host's own columns mix all its targets.
 */
final class PairDomain extends DomainKind<PairDomain.State> {
    private static final long MINUTE = Window.M1.nanos();
    /** HyperLogLog precision past the first 16 ports: 2^8 registers, about 6.5 % standard error. */
    private static final int PRECISION = 8;

    /** packets_rev and rst_rev, in that order. */
    private final SchemaColumns inputs = new SchemaColumns(java.util.List.of("packets_rev", "rst_rev"));

    PairDomain() {
        super(EventKinds.FLOW, "address pair", State::new);
        define("pair_flow_rate_1m", "1/s", "1m", "Flows per second between the flow's two addresses (either starting), "
                + "time-decayed (time constant 1m).");
        define("pair_distinct_ports_1m", "count", "1m", "Distinct responder ports (or protocols, where there is no port) of "
                + "the flows between the two addresses in the current and previous minute (exact up to 16, then "
                + "HyperLogLog): many for a vertical port scan of one target.");
        define("pair_failed_ratio_1m", "ratio", "1m", "Time-decayed share of the pair's flows that failed (reset or never "
                + "answered).");
    }

    /** One pair's accumulators. */
    static final class State {
        /** Shared by the accumulators: they decay over the same spans. */
        final DecayFactor minute = new DecayFactor(MINUTE);
        final DecayedMoments flows = new DecayedMoments(minute);
        final DecayedMoments failed = new DecayedMoments(minute);
        final DistinctCounter ports = new DistinctCounter(MINUTE, PRECISION);
    }

    @Override
    String space() {
        return "pair";
    }

    /** The two addresses in a fixed order, so that both directions of a conversation share one state. */
    @Override
    State state(EntityTable<Object> table, TelemetryEvent event, FeatureVector vector, long clockNanos) {
        String src = event.labels().getOrDefault("src", vector.entityId());
        String dst = event.labels().getOrDefault("dst", "");
        return src.compareTo(dst) <= 0 ? state(table, src, dst, clockNanos) : state(table, dst, src, clockNanos);
    }

    @Override
    double[] compute(TelemetryEvent e, FeatureVector v, State s) {
        long t = e.timestampNanos();
        boolean tcp = "tcp".equals(e.labels().get("proto"));
        int[] at = inputs.of(v.schema(), FeatureSchema::indexOf);
        boolean answered = get(v, at[0]) > 0;
        boolean reset = get(v, at[1]) > 0;
        String dport = e.labels().get("dport");
        s.flows.add(t, 1);
        s.failed.add(t, !answered || (tcp && reset) ? 1 : 0);
        s.ports.add(t, Hashes.of(dport != null ? dport : e.labels().getOrDefault("proto", "")));
        long now = Math.max(t, s.flows.lastNanos());
        return new double[] {s.flows.sum(now) / (MINUTE / 1e9), s.ports.estimate(now), s.failed.mean()};
    }
}
