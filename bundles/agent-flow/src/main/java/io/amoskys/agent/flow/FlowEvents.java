package io.amoskys.agent.flow;

import io.amoskys.api.event.EventKinds;
import io.amoskys.api.event.MetricNames;
import io.amoskys.api.event.TelemetryEvent;
import java.util.Map;
import java.util.Set;

/** Flow records as telemetry events: labels name the conversation, metrics measure it. */
final class FlowEvents {
    /** The service a responder port usually means; a hint, not a protocol detection. */
    private static final Map<Integer, String> WELL_KNOWN = Map.ofEntries(
            Map.entry(20, "ftp-data"), Map.entry(21, "ftp"), Map.entry(22, "ssh"), Map.entry(23, "telnet"),
            Map.entry(25, "smtp"), Map.entry(53, "dns"), Map.entry(67, "dhcp"), Map.entry(68, "dhcp"),
            Map.entry(80, "http"), Map.entry(110, "pop3"), Map.entry(123, "ntp"), Map.entry(143, "imap"),
            Map.entry(161, "snmp"), Map.entry(162, "snmp-trap"), Map.entry(443, "https"), Map.entry(445, "smb"),
            Map.entry(502, "modbus"), Map.entry(1883, "mqtt"), Map.entry(3389, "rdp"), Map.entry(5353, "mdns"),
            Map.entry(8080, "http-alt"), Map.entry(8883, "mqtts"));

    /** Every flow event carries these metrics: one shared {@link MetricNames}, so stages place them without a lookup. */
    private static final MetricNames FLOW_METRICS = MetricNames.of(flowMetricNames());
    private static final int PACKETS_FWD = FLOW_METRICS.indexOf("packets_fwd");
    private static final int PACKETS_REV = FLOW_METRICS.indexOf("packets_rev");
    private static final int BYTES_FWD = FLOW_METRICS.indexOf("bytes_fwd");
    private static final int BYTES_REV = FLOW_METRICS.indexOf("bytes_rev");
    private static final int PAYLOAD_FWD = FLOW_METRICS.indexOf("payload_fwd");
    private static final int PAYLOAD_REV = FLOW_METRICS.indexOf("payload_rev");
    private static final int DURATION = FLOW_METRICS.indexOf("duration_s");
    private static final int GAP_MEAN_FWD = FLOW_METRICS.indexOf("gap_mean_fwd_s");
    private static final int GAP_STD_FWD = FLOW_METRICS.indexOf("gap_std_fwd_s");
    private static final int GAP_MIN_FWD = FLOW_METRICS.indexOf("gap_min_fwd_s");
    private static final int GAP_MAX_FWD = FLOW_METRICS.indexOf("gap_max_fwd_s");
    private static final int GAP_MEAN_REV = FLOW_METRICS.indexOf("gap_mean_rev_s");
    private static final int GAP_STD_REV = FLOW_METRICS.indexOf("gap_std_rev_s");
    private static final int GAP_MIN_REV = FLOW_METRICS.indexOf("gap_min_rev_s");
    private static final int GAP_MAX_REV = FLOW_METRICS.indexOf("gap_max_rev_s");
    private static final int[] FLAGS_FWD = flagColumns("_fwd");
    private static final int[] FLAGS_REV = flagColumns("_rev");

    private static final Set<String> CLIENT_MESSAGES = Set.of("DISCOVER", "REQUEST", "DECLINE", "RELEASE", "INFORM");

    private FlowEvents() {}

    /** The flow's event; host ids and ports as text from {@code texts} (the record's table's). */
    static TelemetryEvent of(FlowRecord r, EndpointTexts texts, String agentId, long sequence, String source) {
        TelemetryEvent.Builder e = TelemetryEvent.builder()
                .agentId(agentId)
                .sequence(sequence)
                .entityId(texts.host(r.initiator()))
                .kind(EventKinds.FLOW)
                .timestampNanos(r.lastNanos())
                .label("source", source)
                .label("src", r.initiator())
                .label("dst", r.responder())
                .label("proto", protocol(r.protocol()))
                .label("end", r.end().name().toLowerCase())
                .metrics(FLOW_METRICS, metrics(r));
        if (r.protocol() == PacketDecoder.TCP || r.protocol() == PacketDecoder.UDP) {
            e.label("sport", texts.port(r.initiatorPort())).label("dport", texts.port(r.responderPort()));
            String app = WELL_KNOWN.getOrDefault(r.responderPort(), WELL_KNOWN.get(r.initiatorPort()));
            if (app != null) {
                e.label("app", app);
            }
        }
        if (r.icmpTypeCode() >= 0) {
            e.label("icmp_type", Integer.toString(r.icmpTypeCode() >>> 8)).label("icmp_code", Integer.toString(r.icmpTypeCode() & 0xff));
        }
        if (r.vlan() >= 0) {
            e.label("vlan", Integer.toString(r.vlan()));
        }
        if (r.dnsQuery() != null) {
            e.label("dns_query", r.dnsQuery());
        }
        return e.build();
    }

    private static double[] metrics(FlowRecord r) {
        double[] m = new double[FLOW_METRICS.size()];
        m[PACKETS_FWD] = r.forwardPackets();
        m[PACKETS_REV] = r.reversePackets();
        m[BYTES_FWD] = r.forwardBytes();
        m[BYTES_REV] = r.reverseBytes();
        m[PAYLOAD_FWD] = r.forwardPayloadBytes();
        m[PAYLOAD_REV] = r.reversePayloadBytes();
        m[DURATION] = r.durationSeconds();
        m[GAP_MEAN_FWD] = r.forwardMeanGap();
        m[GAP_STD_FWD] = r.forwardStddevGap();
        m[GAP_MIN_FWD] = r.forwardMinGap();
        m[GAP_MAX_FWD] = r.forwardMaxGap();
        m[GAP_MEAN_REV] = r.reverseMeanGap();
        m[GAP_STD_REV] = r.reverseStddevGap();
        m[GAP_MIN_REV] = r.reverseMinGap();
        m[GAP_MAX_REV] = r.reverseMaxGap();
        for (int i = 0; i < FLAGS_FWD.length; i++) {
            m[FLAGS_FWD[i]] = r.forwardFlags()[i];
            m[FLAGS_REV[i]] = r.reverseFlags()[i];
        }
        return m;
    }

    private static String[] flowMetricNames() {
        java.util.List<String> names = new java.util.ArrayList<>(java.util.List.of("packets_fwd", "packets_rev", "bytes_fwd",
                "bytes_rev", "payload_fwd", "payload_rev", "duration_s", "gap_mean_fwd_s", "gap_std_fwd_s", "gap_min_fwd_s",
                "gap_max_fwd_s", "gap_mean_rev_s", "gap_std_rev_s", "gap_min_rev_s", "gap_max_rev_s"));
        for (String flag : FlowRecord.FLAG_NAMES) {
            names.add(flag + "_fwd");
            names.add(flag + "_rev");
        }
        return names.toArray(String[]::new);
    }

    private static int[] flagColumns(String suffix) {
        int[] columns = new int[FlowRecord.FLAG_NAMES.length];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = FLOW_METRICS.indexOf(FlowRecord.FLAG_NAMES[i] + suffix);
        }
        return columns;
    }

    /** An ARP, DHCP or DNS observation as a compact event of its own kind ({@code arp}, {@code dhcp}, {@code dns}). */
    static TelemetryEvent observation(long nanos, Record observation, DecodedPacket p, EndpointTexts texts, String agentId, long sequence,
            String source) {
        TelemetryEvent.Builder e = TelemetryEvent.builder().agentId(agentId).sequence(sequence).timestampNanos(nanos)
                .label("source", source);
        String src = p.ipVersion == 0 ? null : texts.address(p.ipVersion, p.srcHi, p.srcLo);
        String dst = p.ipVersion == 0 ? null : texts.address(p.ipVersion, p.dstHi, p.dstLo);
        if (observation instanceof Observations.Arp arp) {
            e.kind(EventKinds.ARP).entityId("host:" + arp.senderIp())
                    .label("op", arp.reply() ? "is-at" : "who-has")
                    .label("sender_mac", arp.senderMac()).label("sender_ip", arp.senderIp())
                    .label("target_mac", arp.targetMac()).label("target_ip", arp.targetIp())
                    .metric("reply", arp.reply() ? 1 : 0);
        } else if (observation instanceof Observations.Dhcp dhcp) {
            e.kind(EventKinds.DHCP).entityId("mac:" + dhcp.clientMac())
                    .label("type", dhcp.type()).label("client_mac", dhcp.clientMac())
                    .label("requested_ip", dhcp.requestedIp()).label("hostname", dhcp.hostname())
                    .label("your_ip", dhcp.yourIp()).label("src", src).label("dst", dst)
                    .metric("from_client", CLIENT_MESSAGES.contains(dhcp.type()) ? 1 : 0);
        } else if (observation instanceof Observations.Dns dns) {
            e.kind(EventKinds.DNS).entityId(texts.host(dns.response() ? dst : src)) // DNS is read from UDP: both addresses known
                    .label("query", dns.query()).label("qtype", Integer.toString(dns.queryType()))
                    .label("direction", dns.response() ? "answer" : "query")
                    .label("answers", String.join(",", dns.answers())).label("src", src).label("dst", dst)
                    .metric("rcode", dns.rcode()).metric("answer_count", dns.answers().size())
                    .metric("query_length", dns.query().length());
        } else {
            throw new IllegalArgumentException("not an observation: " + observation);
        }
        return e.build();
    }

    static String protocol(int number) {
        return switch (number) {
            case PacketDecoder.TCP -> "tcp";
            case PacketDecoder.UDP -> "udp";
            case PacketDecoder.ICMP -> "icmp";
            case PacketDecoder.ICMPV6 -> "icmpv6";
            default -> Integer.toString(number);
        };
    }
}
