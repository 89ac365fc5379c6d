package io.amoskys.feature.stats;

/**
 * 64-bit hashes good enough for HyperLogLog and hashed histograms: every output bit depends on
 * every input bit. Values are folded with FNV-1a (64-bit) and finished with MurmurHash3's fmix64,
 * which spreads FNV's weak low bits. Not for security: an attacker can craft collisions.
 * The three functions are separate spaces: a string and its bytes hash differently.
 */
public final class Hashes {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    /** Keeps 0 from hashing to 0 (fmix64's fixed point). */
    private static final long LONG_SEED = 0x9e3779b97f4a7c15L;

    private Hashes() {}

    /** The hash of a number (a port, an address as a long, an id). */
    public static long of(long value) {
        return mix(value + LONG_SEED);
    }

    /** The hash of a string's UTF-16 chars. */
    public static long of(CharSequence value) {
        return mix(fold(FNV_OFFSET, value));
    }

    /**
     * The hash of the string {@code first + separator + second}, without building it: the same
     * value as {@link #of(CharSequence)} of the joined string.
     */
    public static long of(CharSequence first, char separator, CharSequence second) {
        return mix(fold((fold(FNV_OFFSET, first) ^ separator) * FNV_PRIME, second));
    }

    /** A string's hash with a secret starting state: its collisions depend on the seed (KeyIndex). */
    static long keyed(long seed, CharSequence value) {
        return mix(fold(seed, value));
    }

    private static long fold(long h, CharSequence value) {
        for (int i = 0, n = value.length(); i < n; i++) {
            h = (h ^ value.charAt(i)) * FNV_PRIME;
        }
        return h;
    }

    /** The hash of bytes. */
    public static long of(byte[] value) {
        long h = FNV_OFFSET;
        for (byte b : value) {
            h = (h ^ (b & 0xff)) * FNV_PRIME;
        }
        return mix(h);
    }

    /** MurmurHash3's fmix64: a bijection with full avalanche. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
