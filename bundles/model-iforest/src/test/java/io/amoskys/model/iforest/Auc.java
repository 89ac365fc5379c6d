package io.amoskys.model.iforest;

import java.util.Arrays;

/** ROC AUC as the Mann-Whitney statistic: the chance that a positive outscores a negative, ties counting half. */
final class Auc {
    private Auc() {}

    static double of(double[] positives, double[] negatives) {
        double[] sorted = negatives.clone();
        Arrays.sort(sorted);
        double wins = 0;
        for (double p : positives) {
            int below = lowerBound(sorted, p);
            int notAbove = upperBound(sorted, p);
            wins += below + 0.5 * (notAbove - below);
        }
        return wins / ((double) positives.length * negatives.length);
    }

    private static int lowerBound(double[] sorted, double value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(double[] sorted, double value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
