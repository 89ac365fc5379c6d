package io.amoskys.model.runtime;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** One model version's counters and distributions, in constant memory. */
final class VersionStats {
    final LongAdder rows = new LongAdder();
    final LongAdder calls = new LongAdder();
    final LongAdder callNanos = new LongAdder();
    final LongAdder otherSchema = new LongAdder();
    /** Vectors that entered their entity's window but got no score, the window not due (windowStride): not errors. */
    final LongAdder skipped = new LongAdder();
    final Map<ScoringError, LongAdder> errors = new EnumMap<>(ScoringError.class);
    final Histogram latency = new Histogram(Histogram.LATENCY_SECONDS);
    final Histogram scores = new Histogram(Histogram.SCORES);

    VersionStats() {
        for (ScoringError reason : ScoringError.values()) {
            errors.put(reason, new LongAdder());
        }
    }

    void call(long nanos) {
        calls.increment();
        callNanos.add(nanos);
        latency.record(nanos / 1e9);
    }

    void scored(double score) {
        rows.increment();
        scores.record(score);
    }

    void error(ScoringError reason, int count) {
        errors.get(reason).add(count);
    }

    long errorsTotal() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Mean time of one ONNX Runtime call, in microseconds; 0 before any. */
    double meanCallMicros() {
        long n = calls.sum();
        return n == 0 ? 0 : callNanos.sum() / 1e3 / n;
    }
}
