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
    /** Per slot its minimum at [2·slot] and maximum at [2·slot + 1]: side by side, read together. */
    private final double[] extremes;
    private long newestNanos = Long.MIN_VALUE;
    /** The bucket of newestNanos and its slot, kept so that the common cases need no division. */
    private long newestBucket;
    private int newestSlot;
    /** window / g when g divides the window (then floorDiv(t - window, g) = floorDiv(t, g) - this), else -1. */
    private final long windowBuckets;
    private boolean empty = true;
    /** The last query's answer, both extremes from one pass: callers ask min and max at the same now. */
    private boolean answered;
    private long answeredNanos;
    private double answeredMin;
    private double answeredMax;

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
        this.windowBuckets = windowNanos % bucketNanos == 0 ? windowNanos / bucketNanos : -1;
        // Buckets from the one holding newest - 2·window to the one holding newest.
        long kept = ceilDiv(Math.multiplyExact(2, windowNanos), bucketNanos) + 1;
        if (kept > 1 << 24) {
            throw new IllegalArgumentException("too many buckets: " + kept);
        }
        bucketIndex = new long[(int) kept];
        Arrays.fill(bucketIndex, Long.MIN_VALUE);
        extremes = new double[2 * (int) kept];
    }

    /** @return false (and ignores it) when tNanos is older than the window ending at the newest time seen */
    public boolean add(long tNanos, double x) {
        if (!empty && tNanos <= newestNanos - windowNanos) {
            return false;
        }
        long k = Math.floorDiv(tNanos, bucketNanos);
        int slot = slotOf(k);
        if (empty || tNanos > newestNanos) {
            newestNanos = tNanos;
            newestBucket = k;
            newestSlot = slot;
        }
        empty = false;
        answered = false;
        // An accepted value's bucket is within the kept range, so a slot never holds a newer bucket.
        if (bucketIndex[slot] != k) {
            bucketIndex[slot] = k;
            extremes[2 * slot] = x;
            extremes[2 * slot + 1] = x;
        } else {
            extremes[2 * slot] = Math.min(extremes[2 * slot], x);
            extremes[2 * slot + 1] = Math.max(extremes[2 * slot + 1], x);
        }
        return true;
    }

    /**
     * Over the buckets that overlap (nowNanos - window, nowNanos]; NaN when none. Definition:
     * bucket k covers [k*g, (k+1)*g) with g = window/buckets; a bucket counts when
     * (k+1)*g &gt; nowNanos - window and k*g &lt;= nowNanos.
     */
    public double min(long nowNanos) {
        if (empty) {
            return Double.NaN;
        }
        answer(nowNanos);
        return answeredMin;
    }

    /** As {@link #min}, the maximum. */
    public double max(long nowNanos) {
        if (empty) {
            return Double.NaN;
        }
        answer(nowNanos);
        return answeredMax;
    }

    /** Both extremes at nowNanos in one pass over the buckets, unless the last query already found them. */
    private void answer(long nowNanos) {
        if (answered && answeredNanos == nowNanos) {
            return;
        }
        boolean atNewest = nowNanos == newestNanos; // the usual query: no division needed
        // (k+1)·g > now - window  <=>  k >= floorDiv(now - window, g)
        long oldest = atNewest && windowBuckets >= 0 ? newestBucket - windowBuckets : Math.floorDiv(nowNanos - windowNanos, bucketNanos);
        long first = Math.max(oldest, newestBucket - bucketIndex.length + 1);
        long last = atNewest ? newestBucket : Math.min(Math.floorDiv(nowNanos, bucketNanos), newestBucket);
        double low = Double.NaN;
        double high = Double.NaN;
        boolean found = false;
        int slot = slotOf(first);
        for (long k = first; k <= last; k++, slot = slot + 1 == bucketIndex.length ? 0 : slot + 1) {
            if (bucketIndex[slot] == k) {
                if (!found) {
                    low = extremes[2 * slot];
                    high = extremes[2 * slot + 1];
                    found = true;
                } else {
                    low = extremes[2 * slot] < low ? extremes[2 * slot] : low;
                    high = extremes[2 * slot + 1] > high ? extremes[2 * slot + 1] : high;
                }
            }
        }
        answered = true;
        answeredNanos = nowNanos;
        answeredMin = low;
        answeredMax = high;
    }

    /** floorMod(k, slots), counted back from the newest bucket's slot when k is among the kept buckets. */
    private int slotOf(long k) {
        long back = newestBucket - k;
        if (!empty && back >= 0 && back < bucketIndex.length) {
            int slot = newestSlot - (int) back;
            return slot < 0 ? slot + bucketIndex.length : slot;
        }
        return (int) Math.floorMod(k, (long) bucketIndex.length);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
