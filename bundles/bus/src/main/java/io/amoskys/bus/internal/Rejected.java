package io.amoskys.bus.internal;

import java.util.Arrays;

/** A refused envelope on its way to the quarantine table, with at most {@link #KEEP_BYTES} of it. */
record Rejected(long receivedMillis, Verdict verdict, String peer, byte[] bytes) implements WalWork {
    /** What the quarantine keeps of a refused envelope: enough to see what it was. */
    static final int KEEP_BYTES = 64 * 1024;

    static Rejected of(long receivedMillis, Verdict verdict, String peer, byte[] envelope) {
        return new Rejected(receivedMillis, verdict, peer == null ? "" : peer,
                envelope.length <= KEEP_BYTES ? envelope : Arrays.copyOf(envelope, KEEP_BYTES));
    }
}
