package io.amoskys.agent.snmp.health;

/**
 * Events per second over the last minute, in 60 one-second buckets: constant memory however many
 * events arrive. Thread-safe.
 */
public final class EventRate {
    private static final int SECONDS = 60;

    private final long[] counts = new long[SECONDS];
    private final long[] bucketSecond = new long[SECONDS];

    public synchronized void add(long events, long nowMillis) {
        long second = nowMillis / 1000;
        int i = (int) (second % SECONDS);
        if (bucketSecond[i] != second) {
            bucketSecond[i] = second;
            counts[i] = 0;
        }
        counts[i] += events;
    }

    public synchronized double perSecond(long nowMillis) {
        long second = nowMillis / 1000;
        long sum = 0;
        for (int i = 0; i < SECONDS; i++) {
            if (second - bucketSecond[i] < SECONDS) {
                sum += counts[i];
            }
        }
        return sum / (double) SECONDS;
    }
}
