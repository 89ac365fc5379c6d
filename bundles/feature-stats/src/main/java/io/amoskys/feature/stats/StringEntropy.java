package io.amoskys.feature.stats;

import java.util.Arrays;

/**
 * Character-level Shannon entropy, in bits per character, of a string (DNS names, URLs); 0 for
 * empty: H = Σ<sub>c</sub> (n<sub>c</sub>/n) log2(n / n<sub>c</sub>) over the distinct UTF-16
 * chars c, n<sub>c</sub> being how often c occurs among the n chars. Random letters and digits
 * score near log2(36) ≈ 5.2, ordinary names 3 to 4.
 */
public final class StringEntropy {
    private static final double LN2 = Math.log(2);
    /** Per-thread counts of the chars below 256, so counting allocates nothing. */
    private static final ThreadLocal<int[]> LATIN1_COUNTS = ThreadLocal.withInitial(() -> new int[256]);

    private StringEntropy() {}

    /** Bits per char; O(n) for chars below 256, O(n · k) for k distinct chars above (rare in names). */
    public static double bitsPerChar(CharSequence s) {
        int n = s.length();
        if (n == 0) {
            return 0.0;
        }
        int[] counts = LATIN1_COUNTS.get();
        Arrays.fill(counts, 0);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 256) {
                counts[c]++;
            }
        }
        double nats = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            int count;
            if (c < 256) {
                count = counts[c];
                counts[c] = 0; // count each distinct char once
            } else {
                count = firstAt(s, c, i) ? occurrencesFrom(s, c, i) : 0;
            }
            if (count > 0) {
                double p = (double) count / n;
                nats -= p * Math.log(p);
            }
        }
        return nats / LN2;
    }

    private static boolean firstAt(CharSequence s, char c, int at) {
        for (int i = 0; i < at; i++) {
            if (s.charAt(i) == c) {
                return false;
            }
        }
        return true;
    }

    private static int occurrencesFrom(CharSequence s, char c, int from) {
        int count = 0;
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                count++;
            }
        }
        return count;
    }
}
