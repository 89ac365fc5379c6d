package io.amoskys.agent.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesUpToTheMaximumAndStartsAgainAfterAReset() {
        Backoff full = new Backoff(250, 2000, () -> 1.0);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            delays.add(full.next());
        }
        assertEquals(List.of(250L, 500L, 1000L, 2000L, 2000L, 2000L), delays);
        full.reset();
        assertEquals(250, full.next());
    }

    @Test
    void jitterTakesBetweenHalfAndAllOfEachStep() {
        assertEquals(125, new Backoff(250, 2000, () -> 0.0).next());
        assertEquals(188, new Backoff(250, 2000, () -> 0.5).next());
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(0, 10, () -> 1));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(100, 10, () -> 1));
    }
}
