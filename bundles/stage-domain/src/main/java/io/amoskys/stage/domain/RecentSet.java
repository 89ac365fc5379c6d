package io.amoskys.stage.domain;

import java.util.Arrays;

/**
 * Whether a value was seen in the current or the previous epoch, in a fixed 1 KiB: two Bloom
 * filters of 4096 bits with 3 probes, the older dropped when an epoch starts. An epoch is
 * {@code epochNanos} of event time, or ends sooner once {@value #MAX_NEW} new values went into it,
 * so that a sweep over thousands of addresses does not fill the filter: with at most 500 values
 * per filter, about one new value in twenty is wrongly taken as seen (never the reverse).
 */
final class RecentSet {
    private static final int BITS = 4096;
    static final int MAX_NEW = 500;
    private final long epochNanos;
    private long[] current = new long[BITS / 64];
    private long[] previous = new long[BITS / 64];
    private long epoch = Long.MIN_VALUE;
    private int newInCurrent;

    RecentSet(long epochNanos) {
        this.epochNanos = epochNanos;
    }

    /** Records the value; true when it was not seen in this epoch or the previous one. */
    boolean addIsNew(long tNanos, long hash) {
        long e = Math.floorDiv(tNanos, epochNanos);
        if (epoch == Long.MIN_VALUE) {
            epoch = e;
        } else if (e > epoch) {
            if (e > epoch + 1) {
                Arrays.fill(current, 0); // a quiet epoch in between: nothing is recent any more
            }
            roll();
            epoch = e;
        }
        boolean seen = contains(current, hash) || contains(previous, hash);
        if (!seen) {
            if (newInCurrent >= MAX_NEW) {
                roll(); // full enough: start the next epoch early
            }
            newInCurrent++;
        }
        set(current, hash);
        return !seen;
    }

    private void roll() {
        long[] recycled = previous;
        Arrays.fill(recycled, 0);
        previous = current;
        current = recycled;
        newInCurrent = 0;
    }

    private static boolean contains(long[] bits, long hash) {
        for (int probe = 0; probe < 3; probe++) {
            int bit = index(hash, probe);
            if ((bits[bit >>> 6] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    private static void set(long[] bits, long hash) {
        for (int probe = 0; probe < 3; probe++) {
            int bit = index(hash, probe);
            bits[bit >>> 6] |= 1L << bit;
        }
    }

    /** Three 12-bit slices of the 64-bit hash. */
    private static int index(long hash, int probe) {
        return (int) (hash >>> (probe * 20)) & (BITS - 1);
    }
}
