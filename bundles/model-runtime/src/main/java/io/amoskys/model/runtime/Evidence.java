package io.amoskys.model.runtime;

import io.amoskys.api.event.Contribution;
import io.amoskys.model.format.FeatureStats;
import io.amoskys.model.format.ModelDescriptor;
import java.util.ArrayList;
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

    private final List<String> features;
    private final FeatureStats stats;

    Evidence(ModelDescriptor descriptor) {
        this.features = descriptor.features();
        this.stats = descriptor.featureStats().orElse(null);
    }

    /** @param row the model's input row, from {@code offset} */
    List<Contribution> top(float[] row, int offset) {
        if (stats == null) {
            return List.of();
        }
        int[] best = new int[TOP];
        double[] weights = new double[TOP];
        int found = 0;
        for (int j = 0; j < features.size(); j++) {
            double weight = Math.abs(row[offset + j] - stats.mean(j)) / Math.max(stats.std(j), SMALLEST_STD);
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
        List<Contribution> top = new ArrayList<>(found);
        for (int k = 0; k < found; k++) {
            top.add(new Contribution(features.get(best[k]), row[offset + best[k]], weights[k]));
        }
        return top;
    }
}
