package io.amoskys.agent.mqtt;

import java.util.function.DoubleSupplier;

/**
 * Delays between reconnect attempts: doubling from {@code initialMillis} up to
 * {@code maxMillis}, each drawn between half and all of its step so that many agents cut off by
 * one broker restart do not all knock again at the same instant. Used from one thread.
 */
final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private final DoubleSupplier random;
    private long step;

    Backoff(long initialMillis, long maxMillis, DoubleSupplier random) {
        if (initialMillis <= 0 || maxMillis < initialMillis) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, was " + initialMillis + " and " + maxMillis);
        }
        this.initialMillis = initialMillis;
        this.maxMillis = maxMillis;
        this.random = random;
        this.step = initialMillis;
    }

    long next() {
        long delay = Math.max(1, Math.round(step * (0.5 + 0.5 * random.getAsDouble())));
        step = Math.min(maxMillis, step * 2);
        return delay;
    }

    void reset() {
        step = initialMillis;
    }
}
