package io.amoskys.model.sequence;

import java.util.Arrays;

/** ROC AUC as the Mann-Whitney statistic: the chance that a positive outscores a negative, ties counting half. */
public final class Auc {
    private Auc() {}

    public static double of(double[] positives, double[] negatives) {
        if (positives.length == 0 || negatives.length == 0) {
            return Double.NaN;
        }
        double[] sorted = negatives.clone();
        Arrays.sort(sorted);
        double wins = 0;
        for (double p : positives) {
            int below = bound(sorted, p, false);
            int notAbove = bound(sorted, p, true);
            wins += below + 0.5 * (notAbove - below);
        }
        return wins / ((double) positives.length * negatives.length);
    }

    /** The number of values below {@code value} (or not above it, when {@code inclusive}). */
    private static int bound(double[] sorted, double value, boolean inclusive) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value || (inclusive && sorted[mid] == value)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
