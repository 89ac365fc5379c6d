package io.amoskys.feature.stats;

import java.util.Arrays;

/**
 * Minimum and maximum over a sliding window of event time, at a granularity of window/buckets.
 *
 * <p>Event time is cut into buckets of g = floor(window / buckets) nanoseconds: bucket k covers
 * [k·g, (k+1)·g) and keeps the min and max of the values added in it. A query at now covers the
 * buckets that overlap (now - window, now], so it may include up to one bucket's worth of values
 * older than the window: the price of constant memory.
 *
 * <p>A value older than the window ending at the newest time seen (t &le; newest - window) is
 * refused. The buckets of the last two windows are kept, so a query at any now &ge;
 * newest - window (such as a late event's own time) sees every accepted value it should; for an
 * earlier now the buckets already dropped do not count. It keeps about 2·buckets + 1 buckets (more
 * when window is not a multiple of buckets), three numbers each; no allocation. Not thread-safe.
 */
public final class WindowExtremes {
    private final long windowNanos;
    private final long bucketNanos;
    private final long[] bucketIndex; // the k each slot holds; slot = floorMod(k, length)
    private final double[] minimum;
    private final double[] maximum;
    private long newestNanos = Long.MIN_VALUE;
    private boolean empty = true;

    /**
     * @param windowNanos the window; at least {@code buckets} nanoseconds
     * @param buckets buckets per window, at least 1
     */
    public WindowExtremes(long windowNanos, int buckets) {
        if (buckets < 1 || windowNanos < buckets) {
            throw new IllegalArgumentException("need buckets >= 1 and window >= buckets: " + windowNanos + ", " + buckets);
        }
        this.windowNanos = windowNanos;
        this.bucketNanos = windowNanos / buckets;
        // Buckets from the one holding newest - 2·window to the one holding newest.
        long kept = ceilDiv(Math.multiplyExact(2, windowNanos), bucketNanos) + 1;
        if (kept > 1 << 24) {
            throw new IllegalArgumentException("too many buckets: " + kept);
        }
        bucketIndex = new long[(int) kept];
        Arrays.fill(bucketIndex, Long.MIN_VALUE);
        minimum = new double[(int) kept];
        maximum = new double[(int) kept];
    }

    /** @return false (and ignores it) when tNanos is older than the window ending at the newest time seen */
    public boolean add(long tNanos, double x) {
        if (!empty && tNanos <= newestNanos - windowNanos) {
            return false;
        }
        empty = false;
        newestNanos = Math.max(newestNanos, tNanos);
        long k = Math.floorDiv(tNanos, bucketNanos);
        int slot = (int) Math.floorMod(k, (long) bucketIndex.length);
        // An accepted value's bucket is within the kept range, so a slot never holds a newer bucket.
        if (bucketIndex[slot] != k) {
            bucketIndex[slot] = k;
            minimum[slot] = x;
            maximum[slot] = x;
        } else {
            minimum[slot] = Math.min(minimum[slot], x);
            maximum[slot] = Math.max(maximum[slot], x);
        }
        return true;
    }

    /**
     * Over the buckets that overlap (nowNanos - window, nowNanos]; NaN when none. Definition:
     * bucket k covers [k*g, (k+1)*g) with g = window/buckets; a bucket counts when
     * (k+1)*g &gt; nowNanos - window and k*g &lt;= nowNanos.
     */
    public double min(long nowNanos) {
        return extreme(nowNanos, true);
    }

    /** As {@link #min}, the maximum. */
    public double max(long nowNanos) {
        return extreme(nowNanos, false);
    }

    private double extreme(long nowNanos, boolean lowest) {
        if (empty) {
            return Double.NaN;
        }
        long newestBucket = Math.floorDiv(newestNanos, bucketNanos);
        // (k+1)·g > now - window  <=>  k >= floorDiv(now - window, g)
        long first = Math.max(Math.floorDiv(nowNanos - windowNanos, bucketNanos), newestBucket - bucketIndex.length + 1);
        long last = Math.min(Math.floorDiv(nowNanos, bucketNanos), newestBucket);
        double result = Double.NaN;
        boolean found = false;
        for (long k = first; k <= last; k++) {
            int slot = (int) Math.floorMod(k, (long) bucketIndex.length);
            if (bucketIndex[slot] == k) {
                double v = lowest ? minimum[slot] : maximum[slot];
                if (!found || (lowest ? v < result : v > result)) {
                    result = v;
                    found = true;
                }
            }
        }
        return result;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
