package io.amoskys.stage.domain;

import io.amoskys.api.event.EventKinds;
import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.feature.stats.DecayedHistogram;
import io.amoskys.feature.stats.DecayFactor;
import io.amoskys.feature.stats.DecayedMoments;
import io.amoskys.feature.stats.DistinctCounter;
import io.amoskys.feature.stats.EntityTable;
import io.amoskys.feature.stats.Hashes;
import io.amoskys.feature.stats.SchemaColumns;
import io.amoskys.feature.stats.Window;

/**
 * A flow seen from its other end: the service it reached (responder address and port, or the
 * protocol where there is no port). A host's own columns cannot tell one brute-forcer from a
 * hundred flooding hosts; the service's can: how often it is reached, by how many sources, how
 * many of its flows fail, and whether one source dominates.
 */
final class ServiceDomain extends DomainKind<ServiceDomain.State> {
    private static final long MINUTE = Window.M1.nanos();
    private static final int BINS = 16;
    /** HyperLogLog precision past the first 16 sources: 2^8 registers, about 6.5 % standard error. */
    private static final int PRECISION = 8;

    /** packets_rev and rst_rev, in that order. */
    private final SchemaColumns inputs = new SchemaColumns(java.util.List.of("packets_rev", "rst_rev"));

    ServiceDomain() {
        super(EventKinds.FLOW, "service", State::new);
        define("service_flow_rate_1m", "1/s", "1m", "Flows per second to the flow's service (responder address and port), "
                + "from any host, time-decayed (time constant 1m): a flood or a brute force raises it.");
        define("service_distinct_src_1m", "count", "1m", "Distinct hosts that started flows to the service in the current "
                + "and previous minute (exact up to 16 a minute, then HyperLogLog): many for a distributed flood.");
        define("service_failed_ratio_1m", "ratio", "1m", "Time-decayed share of the service's flows, from any host, that "
                + "failed (reset or never answered): a service overwhelmed or probed.");
        define("service_top_src_share_1m", "ratio", "1m", "Share of the service's recent flows that came from its most "
                + "frequent source (16 hashed bins, so at least about 1/16): near 1 when one host hammers it, low when many do.");
    }

    /** One service's accumulators. */
    static final class State {
        /** Shared by the accumulators: they decay over the same spans. */
        final DecayFactor minute = new DecayFactor(MINUTE);
        final DecayedMoments flows = new DecayedMoments(minute);
        final DecayedMoments failed = new DecayedMoments(minute);
        final DistinctCounter sources = new DistinctCounter(MINUTE, PRECISION);
        final DecayedHistogram sourceBins = new DecayedHistogram(BINS, minute);
    }

    @Override
    String space() {
        return "service";
    }

    /** Keyed by responder address and port (or protocol). */
    @Override
    State state(EntityTable<Object> table, TelemetryEvent event, FeatureVector vector, long clockNanos) {
        String dport = event.labels().get("dport");
        return state(table, event.labels().getOrDefault("dst", ""), dport != null ? dport : event.labels().getOrDefault("proto", ""), clockNanos);
    }

    @Override
    double[] compute(TelemetryEvent e, FeatureVector v, State s) {
        long t = e.timestampNanos();
        boolean tcp = "tcp".equals(e.labels().get("proto"));
        int[] at = inputs.of(v.schema(), FeatureSchema::indexOf);
        boolean answered = get(v, at[0]) > 0;
        boolean reset = get(v, at[1]) > 0;
        long source = Hashes.of(v.entityId());
        s.flows.add(t, 1);
        s.failed.add(t, !answered || (tcp && reset) ? 1 : 0);
        s.sources.add(t, source);
        s.sourceBins.add(t, source);
        long now = Math.max(t, s.flows.lastNanos());
        return new double[] {
            s.flows.sum(now) / (MINUTE / 1e9), s.sources.estimate(now), s.failed.mean(), s.sourceBins.topShare(now)
        };
    }
}
