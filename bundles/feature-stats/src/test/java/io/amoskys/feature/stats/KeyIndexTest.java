package io.amoskys.feature.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyIndexTest {
    /** 2^blocks different strings with one String.hashCode: "Aa" and "BB" hash alike. */
    private static List<String> colliding(int blocks) {
        List<String> out = new ArrayList<>();
        for (int bits = 0; bits < 1 << blocks; bits++) {
            StringBuilder s = new StringBuilder("host:");
            for (int b = 0; b < blocks; b++) {
                s.append((bits >> b & 1) == 0 ? "Aa" : "BB");
            }
            out.add(s.toString());
        }
        return out;
    }

    @Test
    void aFloodOfCollidingEntitiesHardensTheIndexInsteadOfMakingEveryLookupWalkThemAll() {
        List<String> names = colliding(11);
        assertEquals(1, names.stream().mapToInt(String::hashCode).distinct().count(), "the flood collides");
        KeyIndex<EntityKey> index = new KeyIndex<>();
        List<EntityKey> keys = new ArrayList<>();
        for (String name : names) {
            EntityKey key = new EntityKey("flow", name, null);
            keys.add(key);
            index.add(key);
        }
        assertEquals(names.size(), index.longestChain(), "unkeyed, they share one bucket");
        assertFalse(index.hardened());
        EntityKey first = keys.get(0); // the deepest in its chain
        assertSame(first, index.find(first.hash, "flow", first.entity, null));
        assertTrue(index.hardened(), "a walk past " + KeyIndex.LONGEST_CHAIN + " keys hardened the index");
        assertTrue(index.longestChain() < 16, "spread out: " + index.longestChain());
        for (EntityKey k : keys) {
            assertSame(k, index.find(k.hash, "flow", k.entity, null));
        }
        EntityKey later = new EntityKey("flow", "host:AaAaAaAaAaAaAaAaAaAaAaAa", null);
        index.add(later);
        assertSame(later, index.find(later.hash, "flow", later.entity, null), "added after hardening: placed by the keyed hash");
        index.remove(first);
        assertNull(index.find(first.hash, "flow", first.entity, null));
        assertEquals(names.size(), index.size());
    }

    @Test
    void ordinaryAddressesNeverHardenIt() {
        KeyIndex<EntityKey> index = new KeyIndex<>();
        for (int i = 0; i < 100_000; i++) {
            String host = "host:10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
            EntityKey key = new EntityKey("flow", host, "443");
            index.add(key);
            assertSame(key, index.find(key.hash, "flow", host, "443"));
        }
        assertFalse(index.hardened(), "longest chain " + index.longestChain());
    }
}
