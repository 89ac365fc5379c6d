package io.amoskys.stage.domain;

import io.amoskys.api.event.EventKinds;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.feature.stats.DecayedMoments;
import io.amoskys.feature.stats.DistinctCounter;
import io.amoskys.feature.stats.Hashes;
import io.amoskys.feature.stats.StringEntropy;
import io.amoskys.feature.stats.Window;
import java.util.Set;

/**
 * DNS as tunnels and malware use it: long, random-looking names, many labels, record types
 * ordinary clients rarely ask for, failures, and names that are never asked twice.
 */
final class DnsDomain extends DomainKind<DnsDomain.State> {
    /** What ordinary clients ask: A, NS, CNAME, SOA, PTR, MX, AAAA, SRV, HTTPS. */
    private static final Set<String> ORDINARY_TYPES = Set.of("1", "2", "5", "6", "12", "15", "28", "33", "65");
    private static final long MINUTE = Window.M1.nanos();
    private static final long TEN_MINUTES = Window.M10.nanos();

    private final Column rcodeColumn = new Column("rcode");

    DnsDomain() {
        super(EventKinds.DNS, "host", State::new);
        define("name_entropy", "bits/char", "", "Character entropy of the queried name.");
        define("label_count", "count", "", "Labels (dot-separated parts) of the queried name.");
        define("longest_label", "chars", "", "Length of the name's longest label (at most 63 by the protocol).");
        define("digit_share", "ratio", "", "Share of digits among the name's characters.");
        define("unusual_qtype", "flag", "", "1 when the record type is not one ordinary clients ask for "
                + "(A, NS, CNAME, SOA, PTR, MX, AAAA, SRV, HTTPS): TXT, NULL and ANY are tunnels' favourites.");
        define("nxdomain_ratio_1m", "ratio", "1m", "Time-decayed share of the host's answers that were NXDOMAIN.");
        define("unusual_qtype_ratio_1m", "ratio", "1m", "Time-decayed share of the host's messages with an unusual type.");
        define("unique_name_ratio_10m", "ratio", "10m", "Distinct names over queries the host sent in the current and "
                + "previous 10-minute epoch (HyperLogLog): near 1 when no name is asked twice, as in a tunnel.");
    }

    static final class State {
        final DecayedMoments nxdomain = new DecayedMoments(MINUTE);
        final DecayedMoments unusual = new DecayedMoments(MINUTE);
        final DistinctCounter names = new DistinctCounter(TEN_MINUTES, 8);
        final EpochCount messages = new EpochCount(TEN_MINUTES);
        /** The newest event time seen: late events are read against the state as it is now. */
        long newest = Long.MIN_VALUE;
    }

    @Override
    double[] compute(TelemetryEvent e, FeatureVector v, State s) {
        long t = e.timestampNanos();
        String name = e.labels().getOrDefault("query", "");
        boolean unusual = !ORDINARY_TYPES.contains(e.labels().getOrDefault("qtype", "1"));
        if ("answer".equals(e.labels().get("direction"))) {
            s.nxdomain.add(t, rcodeColumn.in(v) == 3 ? 1 : 0);
        }
        s.unusual.add(t, unusual ? 1 : 0);
        if (!"answer".equals(e.labels().get("direction"))) { // a name counts once, not again with its answer
            s.names.add(t, Hashes.of(name));
            s.messages.add(t);
        }
        String[] labels = name.isEmpty() ? new String[0] : name.split("\\.");
        int longest = 0;
        for (String label : labels) {
            longest = Math.max(longest, label.length());
        }
        long digits = name.chars().filter(Character::isDigit).count();
        s.newest = Math.max(s.newest, t);
        double messages = s.messages.count(s.newest);
        return new double[] {
            StringEntropy.bitsPerChar(name), labels.length, longest, name.isEmpty() ? 0 : (double) digits / name.length(),
            unusual ? 1 : 0, s.nxdomain.mean(), s.unusual.mean(),
            messages == 0 ? 0 : Math.min(1, s.names.estimate(s.newest) / messages)
        };
    }
}
