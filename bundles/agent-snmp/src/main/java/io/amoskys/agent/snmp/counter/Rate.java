package io.amoskys.agent.snmp.counter;

/**
 * What a counter did since the previous poll.
 *
 * @param perSecond the rate, or NaN when there is none (see {@code outcome})
 * @param intervalSeconds the time between the two readings; NaN on a first reading
 */
public record Rate(Outcome outcome, double perSecond, double intervalSeconds) {
    /** Why a rate is or is not there. */
    public enum Outcome {
        /** A rate from two readings. */
        RATE,
        /** A rate across one Counter32 wrap (2^32). */
        WRAPPED,
        /** The first reading: a rate needs two. */
        FIRST,
        /** A Counter64 went backwards: the counter was reset, no honest rate exists. */
        RESET,
        /** The value now comes from another OID or width (64-bit counter appeared or vanished). */
        SOURCE_CHANGED,
        /** Too long since the previous reading (polls failed): a Counter32 may have wrapped more than once. */
        GAP
    }

    public boolean hasRate() {
        return !Double.isNaN(perSecond);
    }

    static Rate none(Outcome outcome, double intervalSeconds) {
        return new Rate(outcome, Double.NaN, intervalSeconds);
    }
}
