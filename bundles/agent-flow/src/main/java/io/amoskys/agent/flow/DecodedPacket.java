package io.amoskys.agent.flow;

/**
 * One packet's flow-relevant fields, filled in place by {@link PacketDecoder} (one instance per
 * reading thread, reused for every packet, so decoding allocates nothing).
 *
 * <p>Addresses are held as two longs each: an IPv4 address in the low 32 bits of {@code lo}
 * ({@code hi} 0), an IPv6 address in both.
 */
final class DecodedPacket {
    /** What the decoder could make of the packet. */
    enum Kind {
        /** An IPv4 or IPv6 packet with its transport header read (or an ICMP message). */
        IP,
        /** An IP fragment after the first: addresses known, no transport header. */
        FRAGMENT,
        /** Not IP (ARP, LLDP, ...): not part of any flow. */
        NOT_IP,
        /** Cut or malformed before the fields a flow needs. */
        MALFORMED,
        /** A link type the decoder does not know. */
        UNKNOWN_LINK
    }

    Kind kind;
    int ipVersion;
    long srcHi;
    long srcLo;
    long dstHi;
    long dstLo;
    int protocol;
    int srcPort;
    int dstPort;
    /** TCP flags (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20, ECE 0x40, CWR 0x80). */
    int tcpFlags;
    /** Bytes after the transport header, from the IP length (not what the capture kept). */
    int payloadLength;
    /** The outermost VLAN id, or -1. */
    int vlan;
    /** The EtherType of the network layer (0x0806 for ARP), or -1 when the link has none. */
    int etherType;
    /** Where the network layer (NOT_IP) or the transport payload (IP) starts in the frame, and where the captured frame ends. */
    int payloadOffset;
    int frameEnd;
    /** Why a packet is MALFORMED, for the error count's first message. */
    String problem;

    void reset() {
        kind = Kind.MALFORMED;
        ipVersion = 0;
        srcHi = srcLo = dstHi = dstLo = 0;
        protocol = 0;
        srcPort = dstPort = 0;
        tcpFlags = 0;
        payloadLength = 0;
        vlan = -1;
        etherType = -1;
        payloadOffset = -1;
        frameEnd = 0;
        problem = null;
    }
}
