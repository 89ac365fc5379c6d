package io.amoskys.stage.domain;

import io.amoskys.api.event.EventKinds;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.feature.stats.DecayedMoments;
import io.amoskys.feature.stats.DistinctCounter;
import io.amoskys.feature.stats.Hashes;
import io.amoskys.feature.stats.Window;

/**
 * DHCP as starvation attacks show in it: a flood of client messages from ever new hardware
 * addresses. Each message comes from its own client entity, so the state is the network
 * segment's: the capture source (interface or file) the message was seen on.
 */
final class DhcpDomain extends DomainKind<DhcpDomain.State> {
    private static final long MINUTE = Window.M1.nanos();

    private final Column fromClientColumn = new Column("from_client");

    DhcpDomain() {
        super(EventKinds.DHCP, "client", State::new);
        define("segment_client_rate_1m", "1/s", "1m", "DHCP client messages per second on the segment (the capture source), time-decayed.");
        define("segment_clients_1m", "count", "1m", "Distinct client hardware addresses on the segment in the current and previous "
                + "minute (HyperLogLog).");
    }

    static final class State {
        final DecayedMoments clientMessages = new DecayedMoments(MINUTE);
        final DistinctCounter clients = new DistinctCounter(MINUTE, 8);
        long newest = Long.MIN_VALUE;
    }

    @Override
    String stateKey(TelemetryEvent event, FeatureVector vector) {
        return "segment:" + event.labels().getOrDefault("source", "");
    }

    @Override
    double[] compute(TelemetryEvent e, FeatureVector v, State s) {
        long t = e.timestampNanos();
        boolean fromClient = fromClientColumn.in(v) > 0;
        s.clientMessages.add(t, fromClient ? 1 : 0);
        String mac = e.labels().get("client_mac");
        if (fromClient && mac != null) {
            s.clients.add(t, Hashes.of(mac));
        }
        s.newest = Math.max(s.newest, t);
        return new double[] {s.clientMessages.sum(t) / Window.M1.seconds(), s.clients.estimate(s.newest)};
    }
}
