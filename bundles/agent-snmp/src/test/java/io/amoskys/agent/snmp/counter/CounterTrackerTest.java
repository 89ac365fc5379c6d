package io.amoskys.agent.snmp.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.snmp4j.smi.OID;

class CounterTrackerTest {
    private static final OID HC = new OID("1.3.6.1.2.1.31.1.1.1.6");
    private static final OID C32 = new OID("1.3.6.1.2.1.2.2.1.10");
    private static final long SECOND = 1_000_000_000L;

    @Test
    void counter32WrapsOnce() {
        CounterTracker t = new CounterTracker(60);
        t.beginPoll();
        assertEquals(Rate.Outcome.FIRST, t.observe("k", new CounterSample(4_294_967_000L, 32, C32, 0)).outcome());
        Rate r = t.observe("k", new CounterSample(200, 32, C32, 2 * SECOND));
        assertEquals(Rate.Outcome.WRAPPED, r.outcome());
        assertEquals(248.0, r.perSecond(), 1e-9);
        assertEquals(2.0, r.intervalSeconds(), 1e-9);
    }

    @Test
    void counter64AboveTwoToThe63IsUnsigned() {
        CounterTracker t = new CounterTracker(60);
        long big = 0xFFFF_FFFF_FFFF_FF00L; // 2^64 - 256, negative as a Java long
        t.observe("k", new CounterSample(big, 64, HC, 0));
        Rate r = t.observe("k", new CounterSample(big + 100, 64, HC, SECOND));
        assertEquals(100.0, r.perSecond(), 1e-9);
    }

    @Test
    void counter64GoingBackwardsIsAResetWithoutRate() {
        CounterTracker t = new CounterTracker(60);
        t.observe("k", new CounterSample(5_000, 64, HC, 0));
        Rate r = t.observe("k", new CounterSample(10, 64, HC, SECOND));
        assertEquals(Rate.Outcome.RESET, r.outcome());
        assertFalse(r.hasRate());
    }

    @Test
    void switchingFrom64To32BitStartsAgain() {
        CounterTracker t = new CounterTracker(60);
        t.observe("k", new CounterSample(5_000, 64, HC, 0));
        assertEquals(Rate.Outcome.SOURCE_CHANGED, t.observe("k", new CounterSample(6_000, 32, C32, SECOND)).outcome());
        assertEquals(Rate.Outcome.RATE, t.observe("k", new CounterSample(7_000, 32, C32, 2 * SECOND)).outcome());
    }

    @Test
    void aDiscontinuityMarkerForgetsTheRowsCounters() {
        CounterTracker t = new CounterTracker(60);
        t.marker("dev/1", 100);
        t.observe(CounterTracker.key("dev/1", "in_octets"), new CounterSample(10, 64, HC, 0));
        assertFalse(t.marker("dev/1", 100));
        assertEquals(true, t.marker("dev/1", 200));
        assertEquals(Rate.Outcome.FIRST, t.observe(CounterTracker.key("dev/1", "in_octets"), new CounterSample(20, 64, HC, SECOND)).outcome());
    }

    @Test
    void sweepKeepsOnlyWhatThePollSaw() {
        CounterTracker t = new CounterTracker(60);
        t.beginPoll();
        t.observe("gone", new CounterSample(1, 32, C32, 0));
        t.observe("kept", new CounterSample(1, 32, C32, 0));
        t.sweep();
        t.beginPoll();
        t.observe("kept", new CounterSample(2, 32, C32, SECOND));
        t.sweep();
        assertEquals(1, t.size());
    }

    @Test
    void noRateAcrossAGapLongerThanTheTrackerAllows() {
        CounterTracker t = new CounterTracker(60);
        t.observe("k", new CounterSample(4_000_000_000L, 32, C32, 0));
        Rate r = t.observe("k", new CounterSample(100, 32, C32, 300 * SECOND));
        assertEquals(Rate.Outcome.GAP, r.outcome(), "after five minutes a Counter32 may have wrapped more than once");
        assertEquals(false, r.hasRate());
    }
}
