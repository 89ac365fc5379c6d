package io.amoskys.stage.domain;

/** Events counted in the current and the previous tumbling epoch of event time, exactly. */
final class EpochCount {
    private final long epochNanos;
    private long epoch = Long.MIN_VALUE;
    private long current;
    private long previous;

    EpochCount(long epochNanos) {
        this.epochNanos = epochNanos;
    }

    void add(long tNanos) {
        long e = Math.floorDiv(tNanos, epochNanos);
        if (epoch == Long.MIN_VALUE || e > epoch) {
            previous = epoch != Long.MIN_VALUE && e == epoch + 1 ? current : 0;
            current = 0;
            epoch = e;
        }
        if (e >= epoch - 1) {
            if (e == epoch) {
                current++;
            } else {
                previous++;
            }
        }
    }

    /** Events in the epoch of {@code tNanos} and the one before it. */
    long count(long tNanos) {
        long e = Math.floorDiv(tNanos, epochNanos);
        if (epoch == Long.MIN_VALUE || e > epoch + 1) {
            return 0;
        }
        return e > epoch ? current : current + previous;
    }
}
