package io.amoskys.agent.flow;

/**
 * One bidirectional flow: the initiator is the source of its first packet. Directions are
 * "forward" (initiator to responder) and "reverse".
 */
final class Flow {
    /** Why a flow record was emitted. */
    enum End {
        /** No packet for the idle timeout. */
        IDLE,
        /** Open longer than the active timeout: reported, and a new record goes on. */
        ACTIVE,
        /** TCP FIN seen in both directions. */
        FIN,
        /** TCP RST seen. */
        RST,
        /** The table was full and this was its least recently seen flow. */
        EVICTED,
        /** The capture ended (or the agent stopped) with the flow still open. */
        END_OF_INPUT
    }

    final FlowKey key;
    /** Whether the initiator is endpoint a of the key. */
    final boolean initiatorIsA;
    final long firstNanos;
    long lastNanos;
    final Direction forward = new Direction();
    final Direction reverse = new Direction();
    /** TCP: FIN seen from a, from b; or RST: no further connection on this flow. */
    private boolean finFromA;
    private boolean finFromB;
    End closedBy;
    /** Set once the flow has left its table as a record (so queues holding it let it go). */
    boolean reported;
    /** Its last packet's time when the flow was last put in the table's closing queue (a live table). */
    long closingQueuedNanos;
    /** The first ICMP type and code (type * 256 + code), -1 for other protocols. */
    final int icmpTypeCode;
    /** The first DNS question seen in the flow, an application hint; null for most flows. */
    String dnsQuery;
    final int ipVersion;
    /** Kept by the table's {@link FlowIndex}: the key's hash, the next flow of its bucket, and its neighbours in last-seen order. */
    int hash;
    Flow nextInBucket;
    Flow older;
    Flow newer;

    Flow(FlowKey key, DecodedPacket first, long nanos) {
        this.key = key;
        this.initiatorIsA = FlowKey.sourceFirst(first);
        this.firstNanos = nanos;
        this.lastNanos = nanos;
        this.ipVersion = first.ipVersion;
        this.icmpTypeCode = first.protocol == PacketDecoder.ICMP || first.protocol == PacketDecoder.ICMPV6 ? first.dstPort : -1;
    }

    void add(DecodedPacket p, long nanos, int wireLength) {
        boolean fromA = FlowKey.sourceFirst(p);
        Direction direction = fromA == initiatorIsA ? forward : reverse;
        direction.add(nanos, wireLength, p.payloadLength, p.protocol == PacketDecoder.TCP ? p.tcpFlags : 0);
        lastNanos = Math.max(lastNanos, nanos);
        if (p.protocol == PacketDecoder.TCP && closedBy == null) {
            if ((p.tcpFlags & 0x04) != 0) {
                closedBy = End.RST;
            } else if ((p.tcpFlags & 0x01) != 0) {
                finFromA |= fromA;
                finFromB |= !fromA;
                if (finFromA && finFromB) {
                    closedBy = End.FIN;
                }
            }
        }
    }

    boolean closed() {
        return closedBy != null;
    }

    long packets() {
        return forward.packets + reverse.packets;
    }
}
