package io.amoskys.agent.snmp.counter;

/**
 * Tells a reboot from sysUpTime: it going backwards means the SNMP agent restarted and every
 * counter started again. sysUpTime is a TimeTicks (hundredths of a second) and itself wraps at
 * 2^32 after about 497 days: a value that went backwards by as much as the local clock says a wrap
 * would explain is a wrap, not a reboot. Not thread-safe: one poll at a time.
 */
public final class UptimeTracker {
    private static final long TWO_TO_32 = 1L << 32;

    /** What sysUpTime did since the previous poll. */
    public enum Change { FIRST, ADVANCED, WRAPPED, REBOOTED }

    private long previousTicks = -1;
    private long previousNanos;

    public Change observe(long ticks, long atNanos) {
        long before = previousTicks;
        long beforeNanos = previousNanos;
        previousTicks = ticks;
        previousNanos = atNanos;
        if (before < 0) {
            return Change.FIRST;
        }
        long elapsedTicks = (atNanos - beforeNanos) / 10_000_000L;
        long tolerance = Math.max(200, elapsedTicks / 10);
        if (ticks >= before) {
            // Less uptime gained than time passed: it restarted in between and is already past
            // its old uptime again (a reboot during failed polls).
            return ticks - before < elapsedTicks - tolerance ? Change.REBOOTED : Change.ADVANCED;
        }
        long expected = before + elapsedTicks;
        if (expected >= TWO_TO_32 && Math.abs((expected - TWO_TO_32) - ticks) <= tolerance) {
            return Change.WRAPPED;
        }
        return Change.REBOOTED;
    }

    /** Starts again as if never polled: the next observation is the {@link Change#FIRST}. */
    public void forget() {
        previousTicks = -1;
    }

    /** The previous poll's sysUpTime in ticks, or -1. */
    public long previousTicks() {
        return previousTicks;
    }
}
