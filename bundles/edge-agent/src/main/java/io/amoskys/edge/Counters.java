package io.amoskys.edge;

import java.util.concurrent.atomic.AtomicLong;

/** What the agent did, for its summary line. Envelopes sent count once however often they were resent. */
public final class Counters {
    final AtomicLong events = new AtomicLong();
    final AtomicLong badInput = new AtomicLong();
    final AtomicLong envelopes = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong acked = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong failedConnections = new AtomicLong();

    public long events() {
        return events.get();
    }

    public long badInput() {
        return badInput.get();
    }

    /** Envelopes signed and spooled. */
    public long envelopes() {
        return envelopes.get();
    }

    public long sent() {
        return sent.get();
    }

    public long acked() {
        return acked.get();
    }

    public long duplicates() {
        return duplicates.get();
    }

    public long rejected() {
        return rejected.get();
    }

    public long dropped() {
        return dropped.get();
    }

    /** Connection attempts or streams that failed (the server down, unreachable or refusing). */
    public long failedConnections() {
        return failedConnections.get();
    }

    /** {@code edge-agent: N events, M envelopes sent, A acked, D duplicates, R rejected, X dropped}. */
    public String summary() {
        return "edge-agent: " + events() + " events, " + sent() + " envelopes sent, " + acked() + " acked, "
                + duplicates() + " duplicates, " + rejected() + " rejected, " + dropped() + " dropped";
    }
}
