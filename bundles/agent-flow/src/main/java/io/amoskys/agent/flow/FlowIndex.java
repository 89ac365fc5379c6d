package io.amoskys.agent.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The open flows of a {@link FlowTable}: found from a packet's fields without building a key, and
 * linked from the least to the most recently seen, as a {@code LinkedHashMap} in access order
 * would keep them. The links and the hash chain live in the flows themselves, so a packet of a
 * known flow allocates nothing, and the eldest flow's deadline is read from this object instead
 * of from a flow that has not been touched for a long time (its memory is cold).
 *
 * <p>Buckets are chosen by a hash keyed with a random seed per table: packets are the sender's to
 * choose, and crafted addresses and ports must not be able to pile flows into one chain. The
 * order of the flows never depends on the hash. Grows by doubling at three quarters full and never
 * shrinks (its table bounds the flows). Not thread-safe.
 */
final class FlowIndex {
    private static final long MULTIPLIER = 0x9e3779b97f4a7c15L;
    private static final int FIRST_BUCKETS = 1024;

    private final long seed = ThreadLocalRandom.current().nextLong();
    private Flow[] buckets = new Flow[FIRST_BUCKETS];
    private int size;
    /** Least recently seen (first to expire or be evicted), most recently seen. */
    private Flow eldest;
    private Flow newest;
    /**
     * The eldest flow's last packet time and whether it closed, kept here: a flow changes only
     * when a packet comes for it, which first makes it the newest, so these change only with the
     * eldest itself or through {@link #updated}.
     */
    private long eldestLastNanos;
    private boolean eldestClosed;

    int size() {
        return size;
    }

    /** The least recently seen flow, or null when there is none. */
    Flow eldest() {
        return eldest;
    }

    /** Takes the least recently seen flow out of the index; null when it is empty. */
    Flow removeEldest() {
        Flow flow = eldest;
        if (flow != null) {
            remove(flow);
        }
        return flow;
    }

    long eldestLastNanos() {
        return eldestLastNanos;
    }

    boolean eldestClosed() {
        return eldestClosed;
    }

    /** The open flow of the packet's endpoints, protocol and VLAN (either direction), or null. */
    Flow find(DecodedPacket p) {
        boolean ports = p.protocol == PacketDecoder.TCP || p.protocol == PacketDecoder.UDP;
        int srcPort = ports ? p.srcPort : 0;
        int dstPort = ports ? p.dstPort : 0;
        boolean sourceFirst = FlowKey.sourceFirst(p, srcPort, dstPort);
        long aHi = sourceFirst ? p.srcHi : p.dstHi;
        long aLo = sourceFirst ? p.srcLo : p.dstLo;
        int aPort = sourceFirst ? srcPort : dstPort;
        long bHi = sourceFirst ? p.dstHi : p.srcHi;
        long bLo = sourceFirst ? p.dstLo : p.srcLo;
        int bPort = sourceFirst ? dstPort : srcPort;
        int hash = hash(aHi, aLo, aPort, bHi, bLo, bPort, p.protocol, p.vlan);
        for (Flow f = buckets[hash & (buckets.length - 1)]; f != null; f = f.nextInBucket) {
            FlowKey k = f.key;
            if (f.hash == hash && k.aLo() == aLo && k.bLo() == bLo && k.aPort() == aPort && k.bPort() == bPort
                    && k.aHi() == aHi && k.bHi() == bHi && k.protocol() == p.protocol && k.vlan() == p.vlan) {
                return f;
            }
        }
        return null;
    }

    /** Takes a new flow in, as the most recently seen. */
    void add(Flow flow) {
        if (size >= buckets.length - (buckets.length >>> 2)) {
            grow();
        }
        FlowKey k = flow.key;
        flow.hash = hash(k.aHi(), k.aLo(), k.aPort(), k.bHi(), k.bLo(), k.bPort(), k.protocol(), k.vlan());
        int bucket = flow.hash & (buckets.length - 1);
        flow.nextInBucket = buckets[bucket];
        buckets[bucket] = flow;
        size++;
        linkNewest(flow);
    }

    /** The flow was seen: it becomes the most recently seen. */
    void touch(Flow flow) {
        if (flow != newest) {
            unlink(flow);
            linkNewest(flow);
        }
    }

    /** After a packet changed the flow: keeps what is kept of the eldest current. */
    void updated(Flow flow) {
        if (flow == eldest) {
            eldestChanged();
        }
    }

    /** Lets an open flow go. */
    void remove(Flow flow) {
        int bucket = flow.hash & (buckets.length - 1);
        if (buckets[bucket] == flow) {
            buckets[bucket] = flow.nextInBucket;
        } else {
            Flow before = buckets[bucket];
            while (before.nextInBucket != flow) {
                before = before.nextInBucket;
            }
            before.nextInBucket = flow.nextInBucket;
        }
        flow.nextInBucket = null;
        size--;
        unlink(flow);
    }

    /** The open flows, least recently seen first (a copy). */
    List<Flow> inOrder() {
        List<Flow> flows = new ArrayList<>(size);
        for (Flow f = eldest; f != null; f = f.newer) {
            flows.add(f);
        }
        return flows;
    }

    private void linkNewest(Flow flow) {
        flow.older = newest;
        flow.newer = null;
        if (newest == null) {
            eldest = flow;
            eldestChanged();
        } else {
            newest.newer = flow;
        }
        newest = flow;
    }

    private void unlink(Flow flow) {
        if (flow.older == null) {
            eldest = flow.newer;
            eldestChanged();
        } else {
            flow.older.newer = flow.newer;
        }
        if (flow.newer == null) {
            newest = flow.older;
        } else {
            flow.newer.older = flow.older;
        }
        flow.older = null;
        flow.newer = null;
    }

    private void eldestChanged() {
        if (eldest != null) {
            eldestLastNanos = eldest.lastNanos;
            eldestClosed = eldest.closed();
        }
    }

    private void grow() {
        Flow[] larger = new Flow[buckets.length * 2];
        for (Flow chain : buckets) {
            for (Flow f = chain; f != null; ) {
                Flow next = f.nextInBucket;
                int bucket = f.hash & (larger.length - 1);
                f.nextInBucket = larger[bucket];
                larger[bucket] = f;
                f = next;
            }
        }
        buckets = larger;
    }

    private int hash(long aHi, long aLo, int aPort, long bHi, long bLo, int bPort, int protocol, int vlan) {
        long h = seed;
        h = (h ^ aLo) * MULTIPLIER;
        h = (h ^ bLo) * MULTIPLIER;
        h = (h ^ aHi) * MULTIPLIER;
        h = (h ^ bHi) * MULTIPLIER;
        h = (h ^ ((long) aPort << 48 ^ (long) bPort << 32 ^ (long) protocol << 16 ^ (vlan & 0xffffL))) * MULTIPLIER;
        h ^= h >>> 33; // fmix64's finish: the bucket bits depend on every input bit
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int) h;
    }
}
