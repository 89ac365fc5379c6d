package io.amoskys.feature.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

class HashesTest {
    private static final int N = 1_000_000;
    private static final int BINS = 1024;
    /** Chi-square with 1023 degrees of freedom: mean 1023, standard deviation 45; allow 6 of them. */
    private static final double CHI_SQUARE_BOUND = 1023 + 6 * 45;

    /** Chi-square of N hashes in 1024 bins, by the low 10 bits and by the top 10 bits (HLL's index). */
    private static void assertUniform(IntToLongFunction hash, String what) {
        long[] low = new long[BINS];
        long[] high = new long[BINS];
        for (int i = 0; i < N; i++) {
            long h = hash.applyAsLong(i);
            low[(int) (h & (BINS - 1))]++;
            high[(int) (h >>> 54)]++;
        }
        assertTrue(chiSquare(low) < CHI_SQUARE_BOUND, what + ", low bits: " + chiSquare(low));
        assertTrue(chiSquare(high) < CHI_SQUARE_BOUND, what + ", high bits: " + chiSquare(high));
    }

    private static double chiSquare(long[] counts) {
        double expected = (double) N / counts.length;
        double sum = 0;
        for (long c : counts) {
            sum += (c - expected) * (c - expected) / expected;
        }
        return sum;
    }

    @Test
    void sequentialLongsSpreadEvenly() {
        assertUniform(i -> Hashes.of((long) i), "longs");
    }

    @Test
    void sequentialStringsSpreadEvenly() {
        assertUniform(i -> Hashes.of("host-" + i), "strings");
        assertUniform(i -> Hashes.of("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255)), "addresses");
    }

    @Test
    void sequentialBytesSpreadEvenly() {
        assertUniform(i -> Hashes.of(("k" + i).getBytes(StandardCharsets.UTF_8)), "bytes");
    }

    @Test
    void aMillionNamesDoNotCollide() {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < N; i++) {
            assertTrue(seen.add(Hashes.of("name-" + i + ".example.com")), "collision at " + i);
        }
    }

    @Test
    void oneFlippedInputBitFlipsAboutHalfTheOutputBits() {
        Random random = new Random(61);
        long flipped = 0;
        int trials = 0;
        for (int i = 0; i < 2000; i++) {
            long value = random.nextLong();
            for (int bit = 0; bit < 64; bit++, trials++) {
                flipped += Long.bitCount(Hashes.of(value) ^ Hashes.of(value ^ (1L << bit)));
            }
        }
        double share = flipped / (64.0 * trials);
        assertTrue(Math.abs(share - 0.5) < 0.005, "share of output bits flipped: " + share);
    }

    @Test
    void contentDecidesNotTheType() {
        assertEquals(Hashes.of("dns.example"), Hashes.of(new StringBuilder("dns.example")));
        assertNotEquals(Hashes.of("ab"), Hashes.of("ba"));
        assertNotEquals(Hashes.of(""), Hashes.of("\0"));
        assertNotEquals(0L, Hashes.of(0L));
    }

    @Test
    void aJoinedPairHashesLikeTheJoinedString() {
        Random random = new Random(7);
        for (int i = 0; i < 1000; i++) {
            String first = randomString(random);
            String second = randomString(random);
            assertEquals(Hashes.of(first + "|" + second), Hashes.of(first, '|', second), first + " | " + second);
        }
        assertNotEquals(Hashes.of("a", '|', "b"), Hashes.of("a", ':', "b"));
    }

    private static String randomString(Random random) {
        char[] chars = new char[random.nextInt(12)];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) (random.nextBoolean() ? 'a' + random.nextInt(26) : random.nextInt(0x3000));
        }
        return new String(chars);
    }
}
