package io.amoskys.api.bus;

import java.time.Instant;
import java.util.Optional;
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

    /**
     * The stored event that agent {@code agentId} numbered {@code sequence}, which is what an
     * event id ({@code TelemetryEvent.id()}) and an alert's evidence name; empty when the log does
     * not hold it (never received, or removed by retention).
     *
     * @since 1.1
     */
    Optional<LoggedEvent> find(String agentId, long sequence);

    /**
     * {@link #find(String, long)} by event id, {@code agentId:sequence} (an agent id may itself
     * hold colons: the sequence follows the last one).
     *
     * @throws IllegalArgumentException naming the id when it is not of that form
     * @since 1.1
     */
    default Optional<LoggedEvent> find(String eventId) {
        int colon = eventId == null ? -1 : eventId.lastIndexOf(':');
        if (colon <= 0 || colon == eventId.length() - 1) {
            throw new IllegalArgumentException("'" + eventId + "' is not an event id (agentId:sequence)");
        }
        long sequence;
        try {
            sequence = Long.parseLong(eventId.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + eventId + "' is not an event id: its sequence is not a number");
        }
        if (sequence < 0) {
            throw new IllegalArgumentException("'" + eventId + "' is not an event id: its sequence is negative");
        }
        return find(eventId.substring(0, colon), sequence);
    }
}
