package io.amoskys.agent.flow;

import io.amoskys.api.event.EventKinds;
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

    private static final Set<String> CLIENT_MESSAGES = Set.of("DISCOVER", "REQUEST", "DECLINE", "RELEASE", "INFORM");

    private FlowEvents() {}

    static TelemetryEvent of(FlowRecord r, String agentId, long sequence, String source) {
        TelemetryEvent.Builder e = TelemetryEvent.builder()
                .agentId(agentId)
                .sequence(sequence)
                .entityId("host:" + r.initiator())
                .kind(EventKinds.FLOW)
                .timestampNanos(r.lastNanos())
                .label("source", source)
                .label("src", r.initiator())
                .label("dst", r.responder())
                .label("proto", protocol(r.protocol()))
                .label("end", r.end().name().toLowerCase())
                .metric("packets_fwd", r.forwardPackets())
                .metric("packets_rev", r.reversePackets())
                .metric("bytes_fwd", r.forwardBytes())
                .metric("bytes_rev", r.reverseBytes())
                .metric("payload_fwd", r.forwardPayloadBytes())
                .metric("payload_rev", r.reversePayloadBytes())
                .metric("duration_s", r.durationSeconds())
                .metric("gap_mean_fwd_s", r.forwardMeanGap())
                .metric("gap_std_fwd_s", r.forwardStddevGap())
                .metric("gap_min_fwd_s", r.forwardMinGap())
                .metric("gap_max_fwd_s", r.forwardMaxGap())
                .metric("gap_mean_rev_s", r.reverseMeanGap())
                .metric("gap_std_rev_s", r.reverseStddevGap())
                .metric("gap_min_rev_s", r.reverseMinGap())
                .metric("gap_max_rev_s", r.reverseMaxGap());
        for (int i = 0; i < FlowRecord.FLAG_NAMES.length; i++) {
            e.metric(FlowRecord.FLAG_NAMES[i] + "_fwd", r.forwardFlags()[i]);
            e.metric(FlowRecord.FLAG_NAMES[i] + "_rev", r.reverseFlags()[i]);
        }
        if (r.protocol() == PacketDecoder.TCP || r.protocol() == PacketDecoder.UDP) {
            e.label("sport", Integer.toString(r.initiatorPort())).label("dport", Integer.toString(r.responderPort()));
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

    /** An ARP, DHCP or DNS observation as a compact event of its own kind ({@code arp}, {@code dhcp}, {@code dns}). */
    static TelemetryEvent observation(long nanos, Record observation, DecodedPacket p, String agentId, long sequence, String source) {
        TelemetryEvent.Builder e = TelemetryEvent.builder().agentId(agentId).sequence(sequence).timestampNanos(nanos)
                .label("source", source);
        String src = p.ipVersion == 0 ? null : FlowRecord.address(p.ipVersion, p.srcHi, p.srcLo);
        String dst = p.ipVersion == 0 ? null : FlowRecord.address(p.ipVersion, p.dstHi, p.dstLo);
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
            e.kind(EventKinds.DNS).entityId("host:" + (dns.response() ? dst : src))
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
