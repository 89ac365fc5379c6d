package io.amoskys.api.bus;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.osgi.annotation.versioning.ProviderType;

/** Reads the log in order. Not thread-safe: one reader thread per cursor. */
@ProviderType
public interface Cursor extends AutoCloseable {
    /**
     * Waits up to {@code timeout} for envelopes after the position and returns their events,
     * at most about {@code maxEvents} (whole envelopes only, at least one if any is there).
     * Empty when the wait ended with nothing new, or when a range cursor has reached its end.
     */
    List<LoggedEvent> poll(int maxEvents, long timeout, TimeUnit unit) throws InterruptedException;

    /** Marks every envelope up to {@code offset} done: a reopened consumer starts after it. */
    void commit(long offset);

    /** True once a range cursor has read its last offset; never for a consumer's cursor. */
    boolean exhausted();

    @Override
    void close();
}
