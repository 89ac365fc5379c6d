package io.amoskys.agent.flow;

/**
 * A finished flow, oriented from its initiator: what each direction carried, when, and why the
 * record ended.
 */
record FlowRecord(
        int ipVersion, String initiator, int initiatorPort, String responder, int responderPort, int protocol,
        int vlan, long firstNanos, long lastNanos, Flow.End end, int icmpTypeCode, String dnsQuery,
        long forwardPackets, long forwardBytes, long forwardPayloadBytes,
        long reversePackets, long reverseBytes, long reversePayloadBytes,
        int[] forwardFlags, int[] reverseFlags,
        double forwardMeanGap, double forwardStddevGap, double forwardMinGap, double forwardMaxGap,
        double reverseMeanGap, double reverseStddevGap, double reverseMinGap, double reverseMaxGap) {

    /** The TCP flags counted per direction, in this order. */
    static final String[] FLAG_NAMES = {"syn", "fin", "rst", "psh", "ack", "urg"};

    /** The flow's record, its addresses' text from {@code texts}. */
    static FlowRecord of(Flow flow, Flow.End end, EndpointTexts texts) {
        FlowKey k = flow.key;
        boolean a = flow.initiatorIsA;
        Direction f = flow.forward;
        Direction r = flow.reverse;
        return new FlowRecord(flow.ipVersion,
                texts.address(flow.ipVersion, a ? k.aHi() : k.bHi(), a ? k.aLo() : k.bLo()), a ? k.aPort() : k.bPort(),
                texts.address(flow.ipVersion, a ? k.bHi() : k.aHi(), a ? k.bLo() : k.aLo()), a ? k.bPort() : k.aPort(),
                k.protocol(), k.vlan(), flow.firstNanos, flow.lastNanos, end, flow.icmpTypeCode, flow.dnsQuery,
                f.packets, f.bytes, f.payloadBytes, r.packets, r.bytes, r.payloadBytes,
                flags(f), flags(r),
                f.meanGapSeconds(), f.stddevGapSeconds(), f.minGapSeconds(), f.maxGapSeconds(),
                r.meanGapSeconds(), r.stddevGapSeconds(), r.minGapSeconds(), r.maxGapSeconds());
    }

    private static int[] flags(Direction d) {
        return new int[] {d.syn, d.fin, d.rst, d.psh, d.ack, d.urg};
    }

    /** Dotted IPv4, or IPv6 in its canonical text form (RFC 5952: lower case, longest zero run as ::). */
    static String address(int version, long hi, long lo) {
        if (version == 4) {
            return ((lo >>> 24) & 0xff) + "." + ((lo >>> 16) & 0xff) + "." + ((lo >>> 8) & 0xff) + "." + (lo & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) (hi >>> (48 - 16 * i)) & 0xffff;
            groups[i + 4] = (int) (lo >>> (48 - 16 * i)) & 0xffff;
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    double durationSeconds() {
        return (lastNanos - firstNanos) / 1e9;
    }
}
