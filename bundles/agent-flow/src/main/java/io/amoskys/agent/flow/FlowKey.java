package io.amoskys.agent.flow;

/**
 * A flow's identity, the same for both directions: the two endpoints in a fixed order (the
 * smaller address, then port, first), the IP protocol and the VLAN. ICMP flows have no ports.
 */
record FlowKey(long aHi, long aLo, int aPort, long bHi, long bLo, int bPort, int protocol, int vlan) {

    /** The key of a decoded packet, and whether the packet goes from endpoint a to b. */
    static FlowKey of(DecodedPacket p) {
        boolean ports = p.protocol == PacketDecoder.TCP || p.protocol == PacketDecoder.UDP;
        int srcPort = ports ? p.srcPort : 0;
        int dstPort = ports ? p.dstPort : 0;
        if (sourceFirst(p, srcPort, dstPort)) {
            return new FlowKey(p.srcHi, p.srcLo, srcPort, p.dstHi, p.dstLo, dstPort, p.protocol, p.vlan);
        }
        return new FlowKey(p.dstHi, p.dstLo, dstPort, p.srcHi, p.srcLo, srcPort, p.protocol, p.vlan);
    }

    /** Whether the packet's source is endpoint a of its key. */
    static boolean sourceFirst(DecodedPacket p, int srcPort, int dstPort) {
        int c = Long.compareUnsigned(p.srcHi, p.dstHi);
        if (c == 0) {
            c = Long.compareUnsigned(p.srcLo, p.dstLo);
        }
        return c != 0 ? c < 0 : srcPort <= dstPort;
    }

    static boolean sourceFirst(DecodedPacket p) {
        boolean ports = p.protocol == PacketDecoder.TCP || p.protocol == PacketDecoder.UDP;
        return sourceFirst(p, ports ? p.srcPort : 0, ports ? p.dstPort : 0);
    }
}
