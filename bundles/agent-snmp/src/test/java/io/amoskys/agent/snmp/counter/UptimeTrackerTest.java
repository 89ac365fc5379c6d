package io.amoskys.agent.snmp.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UptimeTrackerTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void backwardsIsAReboot() {
        UptimeTracker t = new UptimeTracker();
        assertEquals(UptimeTracker.Change.FIRST, t.observe(100_000, 0));
        assertEquals(UptimeTracker.Change.ADVANCED, t.observe(106_000, 60 * SECOND));
        assertEquals(UptimeTracker.Change.REBOOTED, t.observe(3_000, 120 * SECOND));
    }

    @Test
    void sysUpTimeWrappingAfter497DaysIsNotAReboot() {
        UptimeTracker t = new UptimeTracker();
        long nearTheEnd = (1L << 32) - 3_000; // 30 s before the wrap
        t.observe(nearTheEnd, 0);
        assertEquals(UptimeTracker.Change.WRAPPED, t.observe(3_000, 60 * SECOND));
    }

    @Test
    void aRebootDuringFailedPollsShowsAsLessUptimeGainedThanTimePassed() {
        UptimeTracker t = new UptimeTracker();
        t.observe(2_000, 0); // up 20 s
        // 120 s later it answers again with 45 s of uptime: more than before, yet it rebooted.
        assertEquals(UptimeTracker.Change.REBOOTED, t.observe(4_500, 120 * SECOND));
    }
}
