package io.amoskys.agent.mqtt.payload;

/** Epoch seconds as payloads carry them (a double) to epoch nanoseconds. */
final class EpochSeconds {
    private EpochSeconds() {}

    /**
     * Whole seconds and the fraction apart: {@code seconds * 1e9} would round 1700000000.25 to
     * ...249999872 ns, a double holding only 16 digits. The fraction is kept to the microsecond,
     * about what a double of today's epoch seconds can hold.
     */
    static long toNanos(double seconds) {
        double whole = Math.floor(seconds);
        long micros = Math.round((seconds - whole) * 1e6);
        return (long) whole * 1_000_000_000L + micros * 1000L;
    }
}
