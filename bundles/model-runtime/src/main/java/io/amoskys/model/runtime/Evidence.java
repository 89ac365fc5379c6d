package io.amoskys.model.runtime;

import io.amoskys.api.event.Contribution;
import io.amoskys.model.format.FeatureStats;
import io.amoskys.model.format.ModelDescriptor;
import java.util.List;

/**
 * The features offered as a score's explanation: those furthest from their training mean, in
 * training standard deviations. A cheap proxy, not the model's own attribution, and only when
 * the descriptor records the training means and deviations; otherwise none are claimed.
 */
final class Evidence {
    static final int TOP = 3;
    /** A feature constant in training still gets a finite weight when it moves. */
    private static final double SMALLEST_STD = 1e-9;
    /**
     * Just under 1: {@code w * scale * BELOW}, rounded twice by at most 2^-53 each, stays below the
     * exact product w·scale, so a distance at or under it has a weight (distance / scale) that
     * rounds to at most w.
     */
    private static final double BELOW = 1 - 0x1p-50;

    private final List<String> features;
    /** The training means, and the deviations each weight divides by; null without featureStats. */
    private final double[] mean;
    private final double[] scale;

    Evidence(ModelDescriptor descriptor) {
        this.features = descriptor.features();
        FeatureStats stats = descriptor.featureStats().orElse(null);
        if (stats == null) {
            mean = null;
            scale = null;
        } else {
            mean = new double[features.size()];
            scale = new double[features.size()];
            for (int j = 0; j < mean.length; j++) {
                mean[j] = stats.mean(j);
                scale[j] = Math.max(stats.std(j), SMALLEST_STD);
            }
        }
    }

    /** @param row the model's input row, from {@code offset} */
    List<Contribution> top(float[] row, int offset) {
        if (mean == null) {
            return List.of();
        }
        int[] best = new int[TOP];
        double[] weights = new double[TOP];
        int found = 0;
        for (int j = 0; j < mean.length; j++) {
            double distance = Math.abs(row[offset + j] - mean[j]);
            // Once TOP are held, most features cannot beat the last: a product tells without a division.
            if (found == TOP) {
                double cut = weights[TOP - 1] * scale[j] * BELOW;
                if (cut >= Double.MIN_NORMAL && distance <= cut) { // (subnormal products round too coarsely)
                    continue;
                }
            }
            double weight = distance / scale[j];
            if (weight <= 0 || (found == TOP && weight <= weights[TOP - 1])) {
                continue;
            }
            int at = Math.min(found, TOP - 1);
            while (at > 0 && weights[at - 1] < weight) {
                weights[at] = weights[at - 1];
                best[at] = best[at - 1];
                at--;
            }
            weights[at] = weight;
            best[at] = j;
            found = Math.min(found + 1, TOP);
        }
        Contribution[] top = new Contribution[found];
        for (int k = 0; k < found; k++) {
            top[k] = new Contribution(features.get(best[k]), row[offset + best[k]], weights[k]);
        }
        return List.of(top); // immutable: a Score keeps it without copying
    }
}
