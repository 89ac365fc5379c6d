package io.amoskys.model.runtime;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in logarithmic buckets (each about 9 % wider than the one before, from 100 ns to
 * about 30 s) for percentiles in constant memory; a percentile is read as its bucket's middle.
 */
final class LatencyRecorder {
    private static final double SMALLEST_NANOS = 100;
    private static final double STEPS_PER_DOUBLING = 8;
    private static final int BUCKETS = 232;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    void record(long nanos) {
        counts.incrementAndGet(bucket(nanos));
    }

    static int bucket(long nanos) {
        if (nanos <= SMALLEST_NANOS) {
            return 0;
        }
        int i = (int) (STEPS_PER_DOUBLING * (Math.log(nanos / SMALLEST_NANOS) / Math.log(2))) + 1;
        return Math.min(i, BUCKETS - 1);
    }

    /** @return the latency at quantile {@code q} (0.5, 0.99) in nanoseconds, or 0 before any */
    double quantileNanos(double q) {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += counts.get(i);
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= Math.max(1, rank)) {
                return middle(i);
            }
        }
        return middle(BUCKETS - 1);
    }

    private static double middle(int bucket) {
        if (bucket == 0) {
            return SMALLEST_NANOS;
        }
        double low = SMALLEST_NANOS * Math.pow(2, (bucket - 1) / STEPS_PER_DOUBLING);
        double high = SMALLEST_NANOS * Math.pow(2, bucket / STEPS_PER_DOUBLING);
        return Math.sqrt(low * high);
    }
}
