package io.amoskys.api.bus;

import java.time.Instant;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The write-ahead log of verified envelopes. Offsets grow by one per envelope (an envelope holds
 * one event or a batch from one agent) and are never reused; retention removes the oldest.
 */
@ProviderType
public interface EventLog {
    /**
     * Opens the named consumer's cursor after its last committed offset (at the start of the
     * log the first time), reading only events of {@code kinds} (empty: every kind).
     */
    Cursor open(String consumer, Set<String> kinds);

    /** A cursor over {@code [fromOffset, toOffset]} that commits nothing, to re-run a range. */
    Cursor range(long fromOffset, long toOffset, Set<String> kinds);

    /** The first offset committed at or after {@code time}; the next offset if none is. */
    long offsetAt(Instant time);

    /** The offset the next envelope will get. */
    long nextOffset();
}
