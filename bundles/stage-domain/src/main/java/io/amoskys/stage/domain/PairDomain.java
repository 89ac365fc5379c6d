package io.amoskys.stage.domain;

import io.amoskys.api.event.EventKinds;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.feature.stats.DecayedMoments;
import io.amoskys.feature.stats.DistinctCounter;
import io.amoskys.feature.stats.Hashes;
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
        final DecayedMoments flows = new DecayedMoments(MINUTE);
        final DecayedMoments failed = new DecayedMoments(MINUTE);
        final DistinctCounter ports = new DistinctCounter(MINUTE, PRECISION);
    }

    @Override
    String space() {
        return "pair";
    }

    /** The two addresses in a fixed order, so that both directions of a conversation share one state. */
    @Override
    String stateKey(TelemetryEvent event, FeatureVector vector) {
        String src = event.labels().getOrDefault("src", vector.entityId());
        String dst = event.labels().getOrDefault("dst", "");
        return src.compareTo(dst) <= 0 ? src + "|" + dst : dst + "|" + src;
    }

    @Override
    double[] compute(TelemetryEvent e, FeatureVector v, State s) {
        long t = e.timestampNanos();
        boolean tcp = "tcp".equals(e.labels().get("proto"));
        boolean answered = get(v, "packets_rev") > 0;
        boolean reset = get(v, "rst_rev") > 0;
        String dport = e.labels().get("dport");
        s.flows.add(t, 1);
        s.failed.add(t, !answered || (tcp && reset) ? 1 : 0);
        s.ports.add(t, Hashes.of(dport != null ? dport : e.labels().getOrDefault("proto", "")));
        long now = Math.max(t, s.flows.lastNanos());
        return new double[] {s.flows.sum(now) / (MINUTE / 1e9), s.ports.estimate(now), s.failed.mean()};
    }
}
