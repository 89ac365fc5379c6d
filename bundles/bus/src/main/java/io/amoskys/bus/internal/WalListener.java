package io.amoskys.bus.internal;

/** What the write-ahead log reports to metrics. Called on the writer thread; must be quick. */
interface WalListener {
    void committed(int envelopes, int events, long bytes, int duplicates, long commitNanos);

    void acked(long latencyNanos);

    /** One envelope committed: its agent and how many events it held. */
    void accepted(String agentId, int events);

    void retained(long envelopesRemoved, long unconsumedRemoved);

    void quarantineDropped();

    /** An envelope that passed verification was refused by the log itself (a sequence used for other content). */
    void refused(io.amoskys.schema.RejectReason reason);

    /** A write of the log failed: {@code what} is commit, quarantine, retention, writer or writer-stopped. */
    void failed(String what);
}
