package io.amoskys.feature.export;

import io.amoskys.api.bus.Cursor;
import io.amoskys.api.bus.EventLog;
import io.amoskys.api.bus.LoggedEvent;
import io.amoskys.api.event.TelemetryEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A bus log in memory for unit tests: one event per envelope, all committed at the epoch (the
 * real log, in Derby, is exercised by the integration tests). Shared through the test jar.
 */
public record ListLog(List<TelemetryEvent> events) implements EventLog {
    @Override
    public Cursor open(String consumer, Set<String> kinds) {
        throw new UnsupportedOperationException("only ranges here");
    }

    @Override
    public long offsetAt(Instant time) {
        return time.isAfter(Instant.EPOCH) ? events.size() : 0;
    }

    @Override
    public long nextOffset() {
        return events.size();
    }

    @Override
    public Optional<LoggedEvent> find(String agentId, long sequence) {
        for (int i = 0; i < events.size(); i++) {
            TelemetryEvent e = events.get(i);
            if (e.agentId().equals(agentId) && e.sequence() == sequence) {
                return Optional.of(new LoggedEvent(i, 0, e));
            }
        }
        return Optional.empty();
    }

    @Override
    public Cursor range(long fromOffset, long toOffset, Set<String> kinds) {
        return new Cursor() {
            private long next = fromOffset;

            @Override
            public List<LoggedEvent> poll(int maxEvents, long timeout, TimeUnit unit) {
                List<LoggedEvent> batch = new ArrayList<>();
                for (; next <= toOffset && batch.size() < maxEvents; next++) {
                    TelemetryEvent event = events.get((int) next);
                    if (kinds.isEmpty() || kinds.contains(event.kind())) {
                        batch.add(new LoggedEvent(next, 0, event));
                    }
                }
                return batch;
            }

            @Override
            public void commit(long offset) {}

            @Override
            public boolean exhausted() {
                return next > toOffset;
            }

            @Override
            public void close() {}
        };
    }
}
