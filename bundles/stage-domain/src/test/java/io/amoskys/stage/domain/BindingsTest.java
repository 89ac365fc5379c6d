package io.amoskys.stage.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class BindingsTest {
    private final Bindings<String> bindings = new Bindings<>(2, 3, 100);

    @Test
    void aKeySeenOnlyOnceIsForgottenFirstAndOneSeenOverTimeStays() {
        assertNull(bindings.put("gw", "a", 0));
        assertEquals("a", bindings.put("gw", "a", 50), "seen again too soon: still new");
        assertEquals("a", bindings.put("gw", "a", 100), "seen again 100 later: established");
        for (int i = 0; i < 10; i++) {
            bindings.put("x" + i, "m" + i, 200 + i);
        }
        assertEquals(3, bindings.size(), "two new and the established one");
        assertEquals("a", bindings.put("gw", "b", 300), "the flood of new keys left it");
        assertNull(bindings.put("x0", "m", 301), "x0 was pushed out of the new part");
    }

    @Test
    void aKeySeenAgainTooSoonIsStillNewAndAFloodPushesItOut() {
        bindings.put("gw", "a", 0);
        bindings.put("gw", "a", 99);
        bindings.put("x", "m", 200);
        bindings.put("y", "m", 201);
        assertNull(bindings.put("gw", "a", 202), "seen twice within 100: pushed out with the new keys");
    }

    @Test
    void timeIsTheNewestSeenSoALateEventDoesNotEstablishAKey() {
        bindings.put("now", "n", 1_000);
        bindings.put("gw", "a", 0); // late: first seen at 1000, not at 0
        bindings.put("gw", "a", 1_050);
        bindings.put("x", "m", 1_060);
        bindings.put("y", "m", 1_070);
        assertNull(bindings.put("gw", "a", 1_080), "50 after it was first seen: not established, so pushed out");
    }

    @Test
    void anEstablishedKeyPushedOutGoesBackToProbation() {
        long t = 0;
        for (String key : new String[] {"a", "b", "c", "d"}) {
            bindings.put(key, key, t);
            bindings.put(key, key, t + 100); // established; the fourth pushes "a" back to probation
            t += 200;
        }
        assertEquals(4, bindings.size());
        bindings.put("n1", "n", t);
        bindings.put("n2", "n", t); // probation holds two: "a" goes
        assertNull(bindings.put("a", "a", t));
        assertEquals("b", bindings.computeIfAbsent("b", t, () -> "new"), "b is still established");
    }
}
