package io.amoskys.model.format;

import java.util.Arrays;

/**
 * ROC AUC as the Mann-Whitney statistic: the share of (positive, negative) pairs in which the
 * positive scores higher, a tie counting half. Counted in whole half-wins (a long), so the only
 * rounding is the final division.
 */
public final class RocAuc {
    private RocAuc() {}

    /** @return the AUC in [0, 1], or NaN when either side is empty */
    public static double of(double[] positives, double[] negatives) {
        if (positives.length == 0 || negatives.length == 0) {
            return Double.NaN;
        }
        double[] p = sorted(positives);
        double[] n = sorted(negatives);
        long halfWins = 0;
        int below = 0; // negatives strictly below the current positive
        int notAbove = 0; // negatives at or below it
        for (double score : p) {
            while (below < n.length && n[below] < score) {
                below++;
            }
            while (notAbove < n.length && n[notAbove] <= score) {
                notAbove++;
            }
            halfWins += 2L * below + (notAbove - below);
        }
        return halfWins / (2.0 * p.length * n.length);
    }

    private static double[] sorted(double[] scores) {
        double[] copy = scores.clone();
        for (double s : copy) {
            if (Double.isNaN(s)) {
                throw new IllegalArgumentException("a score is NaN: it has no rank");
            }
        }
        Arrays.sort(copy);
        return copy;
    }
}
