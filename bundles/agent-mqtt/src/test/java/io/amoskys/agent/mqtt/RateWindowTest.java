package io.amoskys.agent.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RateWindowTest {
    private static final long T0 = 1_000_000_000L;

    @Test
    void countsOverTheTimeSinceTheFirstEventWhileYoungerThanAMinute() {
        RateWindow rate = new RateWindow(T0);
        for (int i = 0; i < 10; i++) {
            rate.add(T0 + i * 100);
        }
        assertEquals(10.0, rate.perSecond(T0 + 999));
        assertEquals(5.0, rate.perSecond(T0 + 1500));
    }

    @Test
    void forgetsWhatIsOlderThanAMinute() {
        RateWindow rate = new RateWindow(T0);
        for (int s = 0; s < 120; s++) {
            rate.add(T0 + s * 1000L);
            rate.add(T0 + s * 1000L + 500);
        }
        assertEquals(2.0, rate.perSecond(T0 + 119_999));
        assertEquals(1.0, rate.perSecond(T0 + 149_999), "half a minute of silence halves the rate");
        assertEquals(0.0, rate.perSecond(T0 + 600_000));
    }
}
