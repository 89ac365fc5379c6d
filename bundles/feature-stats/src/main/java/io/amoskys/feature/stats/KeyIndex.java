package io.amoskys.feature.stats;

import java.util.Arrays;

/**
 * A hash index of {@link EntityKey}s chained through the keys themselves: no node, key object or
 * string is made per lookup or insertion, and a lookup reaches the entry with one indirection
 * less than a HashMap of entries. Grows with its contents (the table caps them), never shrinks.
 * Not thread-safe.
 *
 * <p>Entities are addresses and names an attacker chooses, and String.hashCode collisions are easy
 * to craft: a flood of colliding hosts would make every lookup walk one long chain. A chain longer
 * than {@value #LONGEST_CHAIN} is taken as such a flood: the index then places every key by a hash
 * keyed with a secret random seed (slower to compute, not to be aimed at) from then on.
 */
final class KeyIndex<K extends EntityKey> {
    static final int LONGEST_CHAIN = 32;

    private EntityKey[] buckets = new EntityKey[16];
    private int size;
    private long seed; // 0 until hardened

    @SuppressWarnings("unchecked")
    K find(int hash, String space, String entity, String detail) {
        int slotHash = seed == 0 ? hash : keyed(space, entity, detail);
        int walked = 0;
        for (EntityKey k = buckets[slot(slotHash, buckets.length)]; k != null; k = k.nextInBucket) {
            if (k.is(hash, space, entity, detail)) {
                return (K) k;
            }
            if (++walked > LONGEST_CHAIN && seed == 0) {
                harden();
                return find(hash, space, entity, detail);
            }
        }
        return null;
    }

    /** Whether a flood of colliding keys made the index switch to its keyed hash. */
    boolean hardened() {
        return seed != 0;
    }

    private void harden() {
        seed = new java.security.SecureRandom().nextLong() | 1; // never 0: 0 means "not hardened"
        EntityKey[] rehashed = new EntityKey[buckets.length];
        for (EntityKey head : buckets) {
            for (EntityKey k = head, next; k != null; k = next) {
                next = k.nextInBucket;
                k.slotHash = keyed(k.space, k.entity, k.detail);
                link(k, rehashed);
            }
        }
        buckets = rehashed;
    }

    private int keyed(String space, String entity, String detail) {
        long h = Hashes.keyed(seed, space);
        h = Hashes.keyed(h, entity == null ? "" : entity);
        h = Hashes.keyed(h, detail == null ? "" : detail);
        return (int) (h ^ (h >>> 32));
    }

    /** Adds a key that is not present. */
    void add(K key) {
        if (size >= buckets.length - (buckets.length >>> 2)) {
            grow();
        }
        key.slotHash = seed == 0 ? key.hash : keyed(key.space, key.entity, key.detail);
        link(key, buckets);
        size++;
    }

    void remove(K key) {
        int slot = slot(key.slotHash, buckets.length);
        EntityKey before = null;
        for (EntityKey k = buckets[slot]; k != null; before = k, k = k.nextInBucket) {
            if (k == key) {
                if (before == null) {
                    buckets[slot] = k.nextInBucket;
                } else {
                    before.nextInBucket = k.nextInBucket;
                }
                k.nextInBucket = null;
                size--;
                return;
            }
        }
    }

    int size() {
        return size;
    }

    /** The most keys in one bucket (for tests). */
    int longestChain() {
        int longest = 0;
        for (EntityKey head : buckets) {
            int n = 0;
            for (EntityKey k = head; k != null; k = k.nextInBucket) {
                n++;
            }
            longest = Math.max(longest, n);
        }
        return longest;
    }

    void clear() {
        Arrays.fill(buckets, null);
        size = 0;
    }

    private void grow() {
        EntityKey[] larger = new EntityKey[buckets.length * 2];
        for (EntityKey head : buckets) {
            for (EntityKey k = head, next; k != null; k = next) {
                next = k.nextInBucket;
                link(k, larger);
            }
        }
        buckets = larger;
    }

    private static void link(EntityKey key, EntityKey[] into) {
        int slot = slot(key.slotHash, into.length);
        key.nextInBucket = into[slot];
        into[slot] = key;
    }

    /** HashMap's spreading of the high bits into the low ones the mask keeps. */
    private static int slot(int hash, int length) {
        return (hash ^ (hash >>> 16)) & (length - 1);
    }
}
