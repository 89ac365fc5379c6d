package io.amoskys.stage.domain;

import io.amoskys.api.event.EventKinds;
import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.feature.stats.DecayFactor;
import io.amoskys.feature.stats.DecayedHistogram;
import io.amoskys.feature.stats.DecayedMoments;
import io.amoskys.feature.stats.Hashes;
import io.amoskys.feature.stats.SchemaColumns;
import io.amoskys.feature.stats.StringEntropy;
import io.amoskys.feature.stats.Window;

/**
 * What a security analyst looks at in a host's flows: failed and unanswered connections,
 * half-open and handshake-less TCP (scans), fan-out and its entropy, new destinations, one service
 * hammered (brute force), machine-regular flow starts (beacons), and when it happens.
 */
final class FlowDomain extends DomainKind<FlowDomain.State> {
    private static final long MINUTE = Window.M1.nanos();
    private static final long TEN_MINUTES = Window.M10.nanos();
    /** "New" means not contacted in the current or previous hour. */
    private static final long NEW_EPOCH = 3_600_000_000_000L;
    private static final int BINS = 64;
    /** Services people log in to: where brute force aims (ftp, ssh, telnet, smtp, pop3, imap, smb, submission, imaps, pop3s, mssql, mysql, rdp, postgres, vnc). */
    private static final int[] LOGIN_PORTS = {21, 22, 23, 25, 110, 143, 445, 587, 993, 995, 1433, 3306, 3389, 5432, 5900};

    /** The canonical columns read, at these positions of {@link #INPUTS}. */
    private static final int PACKETS_FWD = 0;
    private static final int PACKETS_REV = 1;
    private static final int RST_REV = 2;
    private static final int SYN_FWD = 3;
    private static final int PAYLOAD_FWD = 4;
    private static final java.util.List<String> INPUTS = java.util.List.of("packets_fwd", "packets_rev", "rst_rev", "syn_fwd", "payload_fwd");

    private final WorkingSecond work;
    private final SchemaColumns inputs = new SchemaColumns(INPUTS);

    FlowDomain(WorkingTime work) {
        super(EventKinds.FLOW, "host", State::new);
        this.work = new WorkingSecond(work);
        define("failed_conn_ratio_1m", "ratio", "1m", "Time-decayed share of the host's flows that failed: "
                + "the responder reset a TCP flow or never answered (time constant 1m).");
        define("unanswered_ratio_1m", "ratio", "1m", "Time-decayed share of the host's flows with no packet back.");
        define("half_open_ratio_1m", "ratio", "1m", "Time-decayed share of TCP flows that sent a SYN but at most 2 "
                + "packets and no payload: half-open probes of a SYN scan.");
        define("no_handshake_ratio_1m", "ratio", "1m", "Time-decayed share of TCP flows whose initiator sent no SYN: "
                + "FIN, NULL, Xmas, ACK and window scans (and flows caught mid-way).");
        define("small_flow_ratio_1m", "ratio", "1m", "Time-decayed share of flows of at most 3 packets in total.");
        define("low_port_share_1m", "ratio", "1m", "Time-decayed share of the TCP/UDP flows (with a numeric port) to ports below 1024.");
        define("icmp_share_1m", "ratio", "1m", "Time-decayed share of ICMP flows.");
        define("new_dst_rate_1m", "1/s", "1m", "Destinations per second not contacted by the host in the current or "
                + "previous epoch (an hour, or sooner once 500 new ones were seen: a Bloom filter of 4096 bits, "
                + "so about 1 in 20 new ones is missed) (time-decayed, time constant 1m).");
        define("new_service_rate_1m", "1/s", "1m", "Destination address and port pairs per second new in the same sense.");
        define("login_flow_rate_1m", "1/s", "1m", "Flows per second to services people log in to (ftp, ssh, telnet, "
                + "smtp, pop3, imap, smb, rdp, vnc, databases), time-decayed: repeated logins are how brute force looks.");
        define("new_dst_ratio_10m", "ratio", "10m", "Time-decayed share of the host's flows that went to a new destination.");
        define("port_entropy_1m", "bits", "1m", "Shannon entropy of the destination ports of the host's flows, "
                + "time-decayed, over 64 hashed bins (at most 6 bits).");
        define("host_entropy_1m", "bits", "1m", "Shannon entropy of the destination addresses likewise.");
        define("top_service_share_1m", "ratio", "1m", "Share of the host's recent flows that went to its most used "
                + "destination address and port (64 hashed bins): near 1 when one service is hammered.");
        define("top_service_rate_1m", "1/s", "1m", "Flows per second to the host's most used destination address and "
                + "port (top_service_share_1m times the host's time-decayed flow rate): one service hammered by "
                + "brute force, a beacon or a flood.");
        define("flow_gap_cv_10m", "ratio", "10m", "Coefficient of variation of the time between the host's consecutive "
                + "flows (time-decayed, 10m): near 0 for machine-regular beacons, 0 before two gaps.");
        define("dns_query_entropy", "bits/char", "", "Character entropy of the first DNS name the flow asked for (0 if none).");
        define("known_service", "flag", "", "1 when the flow's port is a well-known service's (the flow agent's app hint).");
        define("off_hours", "flag", "", "1 outside the configured working hours and days (event time).");
        define("hour_sin", "ratio", "", "Sine of the hour of day (event time, configured zone): time of day on a circle.");
        define("hour_cos", "ratio", "", "Cosine of the hour of day.");
    }

    /** One host's accumulators. */
    static final class State {
        /** Shared by the accumulators of each time constant: they decay over the same spans. */
        final DecayFactor minute = new DecayFactor(MINUTE);
        final DecayFactor tenMinutes = new DecayFactor(TEN_MINUTES);
        final DecayedMoments failed = new DecayedMoments(minute);
        final DecayedMoments unanswered = new DecayedMoments(minute);
        final DecayedMoments halfOpen = new DecayedMoments(minute);
        final DecayedMoments noHandshake = new DecayedMoments(minute);
        final DecayedMoments small = new DecayedMoments(minute);
        final DecayedMoments lowPort = new DecayedMoments(minute);
        final DecayedMoments icmp = new DecayedMoments(minute);
        final DecayedMoments newDst = new DecayedMoments(minute);
        final DecayedMoments newService = new DecayedMoments(minute);
        final DecayedMoments logins = new DecayedMoments(minute);
        final DecayedMoments newDstShare = new DecayedMoments(tenMinutes);
        final DecayedMoments gaps = new DecayedMoments(tenMinutes);
        final DecayedHistogram ports = new DecayedHistogram(BINS, minute);
        final DecayedHistogram hosts = new DecayedHistogram(BINS, minute);
        final DecayedHistogram services = new DecayedHistogram(BINS, minute);
        final RecentSet seenHosts = new RecentSet(NEW_EPOCH);
        final RecentSet seenServices = new RecentSet(NEW_EPOCH);
        long lastFlowNanos = Long.MIN_VALUE;
    }

    @Override
    double[] compute(TelemetryEvent e, FeatureVector v, State s) {
        long t = e.timestampNanos();
        String proto = e.labels().getOrDefault("proto", "");
        boolean tcp = proto.equals("tcp");
        int[] at = inputs.of(v.schema(), FeatureSchema::indexOf);
        double packetsFwd = get(v, at[PACKETS_FWD]);
        double packetsRev = get(v, at[PACKETS_REV]);
        boolean answered = packetsRev > 0;
        boolean reset = get(v, at[RST_REV]) > 0;
        boolean sentSyn = get(v, at[SYN_FWD]) > 0;
        String dst = e.labels().getOrDefault("dst", "");
        String dport = e.labels().get("dport");

        s.failed.add(t, !answered || (tcp && reset) ? 1 : 0);
        s.unanswered.add(t, answered ? 0 : 1);
        if (tcp) { // shares "of TCP flows": other flows are not in the denominator
            s.halfOpen.add(t, sentSyn && packetsFwd <= 2 && get(v, at[PAYLOAD_FWD]) == 0 ? 1 : 0);
            s.noHandshake.add(t, sentSyn ? 0 : 1);
        }
        s.small.add(t, packetsFwd + packetsRev <= 3 ? 1 : 0);
        int port = port(dport);
        if (port >= 0) {
            s.lowPort.add(t, port < 1024 ? 1 : 0);
        }
        s.icmp.add(t, proto.startsWith("icmp") ? 1 : 0);
        long dstHash = Hashes.of(dst);
        long serviceHash = Hashes.of(dst, '|', dport == null ? proto : dport);
        boolean newDst = s.seenHosts.addIsNew(t, dstHash);
        boolean newService = s.seenServices.addIsNew(t, serviceHash);
        s.newDst.add(t, newDst ? 1 : 0);
        s.newService.add(t, newService ? 1 : 0);
        s.logins.add(t, tcp && isLoginPort(dport, port) ? 1 : 0);
        s.newDstShare.add(t, newDst ? 1 : 0);
        s.ports.add(t, Hashes.of(dport == null ? proto : dport));
        s.hosts.add(t, dstHash);
        s.services.add(t, serviceHash);
        if (s.lastFlowNanos != Long.MIN_VALUE && t > s.lastFlowNanos) {
            s.gaps.add(t, (t - s.lastFlowNanos) / 1e9);
        }
        s.lastFlowNanos = Math.max(s.lastFlowNanos, t);

        String query = e.labels().get("dns_query");
        double topServiceShare = s.services.topShare(t);
        WorkingSecond.Columns when = work.at(t);
        return new double[] {
            s.failed.mean(), s.unanswered.mean(), s.halfOpen.mean(), s.noHandshake.mean(), s.small.mean(),
            s.lowPort.mean(), s.icmp.mean(),
            ratePerSecond(s.newDst, t), ratePerSecond(s.newService, t), ratePerSecond(s.logins, t), s.newDstShare.mean(),
            s.ports.entropyBits(t), s.hosts.entropyBits(t), topServiceShare,
            topServiceShare * s.small.weight(t) / (MINUTE / 1e9),
            s.gaps.isEmpty() || s.gaps.mean() == 0 ? 0 : s.gaps.std() / s.gaps.mean(),
            query == null ? 0 : StringEntropy.bitsPerChar(query),
            e.labels().containsKey("app") ? 1 : 0,
            when.offHours() ? 1 : 0, when.hourSin(), when.hourCos()
        };
    }

    /** The port a label names, or -1 when there is none or it is not a number (a vendor's agent may send a name). */
    private static int port(String label) {
        if (label == null || label.isEmpty() || label.length() > 5) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (c < '0' || c > '9') { // not an ASCII digit: the general rule, which other scripts' digits pass
                return label.chars().allMatch(Character::isDigit) ? Integer.parseInt(label) : -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * Whether the port label names a login service as written (in ASCII digits, without leading
     * zeros): {@code port} is what {@link #port} made of it.
     */
    private static boolean isLoginPort(String label, int port) {
        if (port < 0 || label.charAt(0) == '0') {
            return false;
        }
        for (int i = 0; i < label.length(); i++) {
            if (label.charAt(i) < '0' || label.charAt(i) > '9') {
                return false;
            }
        }
        for (int login : LOGIN_PORTS) {
            if (login == port) {
                return true;
            }
        }
        return false;
    }

    /** Decayed events whose value is 1, per second: the decayed sum over the time constant. */
    private static double ratePerSecond(DecayedMoments m, long t) {
        return m.sum(t) / (MINUTE / 1e9);
    }
}
