package io.amoskys.feature.stats;

import static io.amoskys.feature.stats.Samples.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StringEntropyTest {
    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /** Σ (n_c/n) log2(n/n_c) from a map of char counts. */
    private static double reference(String s) {
        Map<Character, Integer> counts = new HashMap<>();
        for (char c : s.toCharArray()) {
            counts.merge(c, 1, Integer::sum);
        }
        double bits = 0;
        for (int count : counts.values()) {
            bits += (double) count / s.length() * log2((double) s.length() / count);
        }
        return bits;
    }

    @Test
    void knownValues() {
        assertEquals(0.0, StringEntropy.bitsPerChar(""));
        assertEquals(0.0, StringEntropy.bitsPerChar("aaaa"));
        assertClose(1.0, StringEntropy.bitsPerChar("ab"), 1e-15, "ab");
        assertClose(2.0, StringEntropy.bitsPerChar("abcd"), 1e-15, "abcd");
        assertClose(2.0 / 3 * log2(1.5) + 1.0 / 3 * log2(3), StringEntropy.bitsPerChar("aab"), 1e-15, "aab");
        assertClose(1.0, StringEntropy.bitsPerChar("жжлл"), 1e-15, "chars above 255");
    }

    @Test
    void matchesCountingWithAMap() {
        Random random = new Random(71);
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789.-_éüжя中文\uD83D\uDE00";
        for (int i = 0; i < 2000; i++) {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(80);
            int distinct = 1 + random.nextInt(alphabet.length());
            for (int j = 0; j < length; j++) {
                s.append(alphabet.charAt(random.nextInt(distinct)));
            }
            String text = s.toString();
            assertClose(reference(text), StringEntropy.bitsPerChar(text), 1e-12, text);
            assertClose(reference(text), StringEntropy.bitsPerChar(s), 1e-12, "as a StringBuilder: " + text);
        }
    }

    /** A char sequence whose reads fail after a number of them. */
    private record FailingAfter(String text, int[] readsLeft) implements CharSequence {
        @Override
        public char charAt(int index) {
            if (readsLeft[0]-- == 0) {
                throw new IllegalStateException("gone");
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }
    }

    @Test
    void aSequenceFailingHalfwayLeavesNoCountsBehind() {
        // The counting pass reads all 6 chars, the summing pass fails at its second read.
        assertThrows(IllegalStateException.class, () -> StringEntropy.bitsPerChar(new FailingAfter("abcabc", new int[] {7})));
        assertClose(1.0, StringEntropy.bitsPerChar("bc"), 1e-15, "bc after the failure");
    }

    @Test
    void callsDoNotLeakCountsIntoEachOther() {
        StringEntropy.bitsPerChar("aaaaabbbbbzzz");
        assertEquals(0.0, StringEntropy.bitsPerChar("zzzz"));
        assertClose(1.0, StringEntropy.bitsPerChar("ba"), 1e-15, "ba");
    }
}
