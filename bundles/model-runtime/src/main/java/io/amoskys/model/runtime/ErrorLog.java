package io.amoskys.model.runtime;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one model version's scoring errors at most once per interval and reason, with how many
 * there were since the last line: a stream of bad vectors must not flood the log.
 */
final class ErrorLog {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorLog.class);

    private final String model;
    private final long intervalNanos;
    private final Map<ScoringError, AtomicLong> lastLogged = new EnumMap<>(ScoringError.class);
    private final Map<ScoringError, LongAdder> unlogged = new EnumMap<>(ScoringError.class);

    ErrorLog(String model, long intervalNanos) {
        this.model = model;
        this.intervalNanos = intervalNanos;
        long longAgo = System.nanoTime() - intervalNanos - 1;
        for (ScoringError reason : ScoringError.values()) {
            lastLogged.put(reason, new AtomicLong(longAgo));
            unlogged.put(reason, new LongAdder());
        }
    }

    void error(ScoringError reason, int rows, String detail) {
        unlogged.get(reason).add(rows);
        AtomicLong last = lastLogged.get(reason);
        long now = System.nanoTime();
        long before = last.get();
        if (now - before >= intervalNanos && last.compareAndSet(before, now)) {
            long count = unlogged.get(reason).sumThenReset();
            LOG.warn("Model {}: {} row(s) not scored ({}) since the last report: {}. Counted in "
                    + "amoskys_model_errors_total; the next report comes at the earliest in {} s",
                    model, count, reason.code(), detail, intervalNanos / 1_000_000_000L);
        }
    }
}
