package io.amoskys.core.component;

import io.amoskys.api.bus.Cursor;
import io.amoskys.api.bus.EventLog;
import io.amoskys.api.bus.LoggedEvent;
import io.amoskys.api.event.TelemetryEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * An event log in memory for the bus consumer's tests and route benchmarks: one event per
 * envelope, offsets from 0, each commit reported, each consumer resuming after its own last
 * commit. Shared through the test jar.
 */
public final class MemoryLog implements EventLog {
    private final List<TelemetryEvent> events = new ArrayList<>(); // guarded by this
    private long committed = -1; // guarded by this: the last commit of any consumer
    private final Map<String, Long> committedBy = new HashMap<>(); // guarded by this
    private final LongConsumer onCommit;

    public MemoryLog(LongConsumer onCommit) {
        this.onCommit = onCommit;
    }

    /** Thrown once by the next poll of any cursor. */
    private Throwable nextPollFails; // guarded by this

    synchronized void failNextPoll(Throwable failure) {
        nextPollFails = failure;
    }

    public synchronized void append(TelemetryEvent event) {
        events.add(event);
        notifyAll();
    }

    synchronized long committed() {
        return committed;
    }

    synchronized long committed(String consumer) {
        return committedBy.getOrDefault(consumer, -1L);
    }

    @Override
    public Cursor open(String consumer, Set<String> kinds) {
        return new Cursor() {
            private long position;

            {
                synchronized (MemoryLog.this) {
                    position = committedBy.getOrDefault(consumer, -1L) + 1;
                }
            }

            @Override
            public List<LoggedEvent> poll(int maxEvents, long timeout, TimeUnit unit) throws InterruptedException {
                synchronized (MemoryLog.this) {
                    if (nextPollFails != null) {
                        Throwable failure = nextPollFails;
                        nextPollFails = null;
                        if (failure instanceof Error error) {
                            throw error;
                        }
                        throw (RuntimeException) failure;
                    }
                    long deadline = System.nanoTime() + unit.toNanos(timeout);
                    while (events.size() <= position) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            return List.of();
                        }
                        TimeUnit.NANOSECONDS.timedWait(MemoryLog.this, left);
                    }
                    List<LoggedEvent> batch = new ArrayList<>();
                    while (position < events.size() && batch.size() < maxEvents) {
                        batch.add(new LoggedEvent(position, 0, events.get((int) position)));
                        position++;
                    }
                    return batch;
                }
            }

            @Override
            public void commit(long offset) {
                onCommit.accept(offset);
                synchronized (MemoryLog.this) {
                    committed = offset;
                    committedBy.put(consumer, offset);
                }
            }

            @Override
            public boolean exhausted() {
                return false;
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public Cursor range(long fromOffset, long toOffset, Set<String> kinds) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long offsetAt(Instant time) {
        return 0;
    }

    @Override
    public synchronized long nextOffset() {
        return events.size();
    }

    @Override
    public synchronized Optional<LoggedEvent> find(String agentId, long sequence) {
        for (int i = 0; i < events.size(); i++) {
            TelemetryEvent e = events.get(i);
            if (e.agentId().equals(agentId) && e.sequence() == sequence) {
                return Optional.of(new LoggedEvent(i, 0, e));
            }
        }
        return Optional.empty();
    }
}
