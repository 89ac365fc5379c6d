package io.amoskys.agent.mqtt;

/**
 * Events per second over the last minute, in 60 one-second buckets: fixed memory per sensor
 * however fast it talks. Not thread-safe; its owner synchronises.
 */
final class RateWindow {
    private static final int SECONDS = 60;

    private final long[] counts = new long[SECONDS];
    private final long firstSecond;
    /** The second the newest bucket belongs to; older buckets are cleared as time moves on. */
    private long currentSecond;

    RateWindow(long nowMillis) {
        this.firstSecond = nowMillis / 1000;
        this.currentSecond = firstSecond;
    }

    void add(long nowMillis) {
        advance(nowMillis / 1000);
        counts[(int) (currentSecond % SECONDS)]++;
    }

    /** Over the last minute, or over the time since the first event when that is shorter. */
    double perSecond(long nowMillis) {
        long now = nowMillis / 1000;
        advance(now);
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        long span = Math.min(SECONDS, Math.max(1, now - firstSecond + 1));
        return (double) total / span;
    }

    private void advance(long second) {
        if (second <= currentSecond) {
            return;
        }
        long gap = Math.min(SECONDS, second - currentSecond);
        for (long s = 1; s <= gap; s++) {
            counts[(int) ((currentSecond + s) % SECONDS)] = 0;
        }
        currentSecond = second;
    }
}
