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
    void anEstablishedKeyPushedOutGoesBackToProbation() {
        for (String key : new String[] {"a", "b", "c", "d"}) {
            bindings.put(key, key, 0);
            bindings.put(key, key, 100); // established; the fourth pushes "a" back to probation
        }
        assertEquals(4, bindings.size());
        bindings.put("n1", "n", 200);
        bindings.put("n2", "n", 200); // probation holds two: "a" goes
        assertNull(bindings.put("a", "a", 300));
        assertEquals("b", bindings.computeIfAbsent("b", 300, () -> "new"), "b is still established");
    }
}
