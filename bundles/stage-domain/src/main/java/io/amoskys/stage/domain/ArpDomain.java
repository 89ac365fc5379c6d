package io.amoskys.stage.domain;

import io.amoskys.api.event.EventKinds;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.feature.stats.DecayedMoments;
import io.amoskys.feature.stats.Window;
import java.util.HashSet;
import java.util.Set;

/**
 * ARP as cache poisoning shows in it: one hardware address claiming several IP addresses (the
 * attacker posing as gateway and victim), an address claimed by a new hardware address, bursts of
 * replies and gratuitous announcements. The state is the segment's (the capture source), since
 * the bindings it remembers are shared by every host on it. It holds at most
 * {@value #NEW_BINDINGS} new and {@value #ESTABLISHED_BINDINGS} established bindings each way
 * ({@link Bindings}: established once seen again a minute or more after first), so that a flood of
 * made-up senders cannot make the segment forget its gateway just before a poisoned reply claims it.
 */
final class ArpDomain extends DomainKind<ArpDomain.State> {
    static final int NEW_BINDINGS = 1024;
    static final int ESTABLISHED_BINDINGS = 4096;
    /** Hosts refresh their ARP caches every minute or so: a binding seen over a minute is one the segment uses. */
    static final long ESTABLISH_NANOS = Window.M1.nanos();
    private static final int MAX_IPS_PER_MAC = 16;
    private static final long TEN_MINUTES = Window.M10.nanos();

    private final Column replyColumn = new Column("reply");

    ArpDomain() {
        super(EventKinds.ARP, "host", State::new);
        define("ips_per_mac", "count", "", "IP addresses the sender's hardware address has claimed on the segment (at most "
                + MAX_IPS_PER_MAC + " remembered): above 1 for an attacker posing as others, or a router with several addresses.");
        define("mac_changed", "flag", "", "1 when the sender's IP address was last claimed on the segment by another hardware address.");
        define("mac_change_rate_10m", "1/s", "10m", "Changes of IP-to-hardware bindings per second on the segment (time-decayed, 10m).");
        define("gratuitous", "flag", "", "1 for a gratuitous message (sender and target address the same).");
        define("reply_share_10m", "ratio", "10m", "Time-decayed share of the segment's ARP messages that were replies.");
    }

    static final class State {
        final Bindings<String> macByIp = new Bindings<>(NEW_BINDINGS, ESTABLISHED_BINDINGS, ESTABLISH_NANOS);
        final Bindings<Set<String>> ipsByMac = new Bindings<>(NEW_BINDINGS, ESTABLISHED_BINDINGS, ESTABLISH_NANOS);
        final DecayedMoments changes = new DecayedMoments(TEN_MINUTES);
        final DecayedMoments replies = new DecayedMoments(TEN_MINUTES);
    }

    @Override
    String stateKey(TelemetryEvent event, FeatureVector vector) {
        return "segment:" + event.labels().getOrDefault("source", "");
    }

    @Override
    double[] compute(TelemetryEvent e, FeatureVector v, State s) {
        long t = e.timestampNanos();
        String mac = e.labels().get("sender_mac");
        String ip = e.labels().get("sender_ip");
        boolean changed = false;
        int claimed = 0;
        if (mac != null && ip != null && !ip.equals("0.0.0.0")) { // 0.0.0.0: a probe, no claim
            String before = s.macByIp.put(ip, mac, t);
            changed = before != null && !before.equals(mac);
            Set<String> ips = s.ipsByMac.computeIfAbsent(mac, t, HashSet::new);
            if (ips.size() < MAX_IPS_PER_MAC) {
                ips.add(ip);
            }
            claimed = ips.size();
        }
        s.changes.add(t, changed ? 1 : 0);
        s.replies.add(t, replyColumn.in(v));
        boolean gratuitous = ip != null && ip.equals(e.labels().get("target_ip"));
        return new double[] {claimed, changed ? 1 : 0, s.changes.sum(t) / Window.M10.seconds(), gratuitous ? 1 : 0, s.replies.mean()};
    }
}
