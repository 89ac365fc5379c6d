package io.amoskys.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.amoskys.api.event.Contribution;
import io.amoskys.model.format.FeatureStats;
import io.amoskys.model.format.ModelDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Evidence skips the division for features that cannot make the top: it must name exactly the
 * features, values and weights the plain computation names, ties and extreme scales included.
 */
class EvidenceTest {
    private static final int FEATURES = 119;

    @Test
    void theTopFeaturesAreExactlyThoseOfThePlainComputation() {
        Random random = new Random(11);
        for (int model = 0; model < 20; model++) {
            double[] mean = new double[FEATURES];
            double[] std = new double[FEATURES];
            for (int j = 0; j < FEATURES; j++) {
                mean[j] = random.nextInt(4) == 0 ? 0 : random.nextGaussian() * Math.pow(10, random.nextInt(8) - 2);
                int kind = random.nextInt(6);
                std[j] = kind == 0 ? 0 : kind == 1 ? 1e-12 : kind == 2 ? 1 : Math.abs(random.nextGaussian()) * Math.pow(10, random.nextInt(10) - 4);
            }
            ModelDescriptor descriptor = descriptor(mean, std);
            Evidence evidence = new Evidence(descriptor);
            for (int r = 0; r < 500; r++) {
                float[] row = new float[FEATURES + 7];
                int offset = r % 8;
                for (int j = 0; j < FEATURES; j++) {
                    int kind = random.nextInt(5);
                    row[offset + j] = kind == 0 ? (float) mean[j] // at the mean: weight 0
                            : kind == 1 ? (float) (mean[j] + 2 * std[j]) // many equal weights: ties
                            : (float) (mean[j] + random.nextGaussian() * Math.max(std[j], 1e-6) * Math.pow(10, random.nextInt(4)));
                }
                assertEquals(exact(plain(descriptor, row, offset)), exact(evidence.top(row, offset)), "model " + model + " row " + r);
            }
        }
    }

    @Test
    void weightsApartInTheLastBitsStillOvertake() {
        // Every feature 3 deviations out, each a hair (2^-40) further than the one before: the last three win.
        double[] mean = new double[FEATURES];
        double[] std = new double[FEATURES];
        for (int j = 0; j < FEATURES; j++) {
            mean[j] = -j * 0x1p-40;
            std[j] = 1;
        }
        float[] row = new float[FEATURES];
        java.util.Arrays.fill(row, 3f);
        ModelDescriptor descriptor = descriptor(mean, std);
        List<String> top = exact(new Evidence(descriptor).top(row, 0));
        assertEquals(exact(plain(descriptor, row, 0)), top);
        assertEquals(List.of("f118", "f117", "f116"), top.stream().map(t -> t.substring(0, t.indexOf('='))).toList());
    }

    @Test
    void withoutTrainingStatisticsNoneAreClaimed() {
        ModelDescriptor none = Harness.descriptor("m", "1.0.0", new byte[] {1}).features(names()).build();
        assertEquals(List.of(), new Evidence(none).top(new float[FEATURES], 0));
    }

    /** The computation as it was before the shortcut: a weight per feature, the three largest kept, first wins ties. */
    private static List<Contribution> plain(ModelDescriptor descriptor, float[] row, int offset) {
        FeatureStats stats = descriptor.featureStats().orElseThrow();
        int[] best = new int[Evidence.TOP];
        double[] weights = new double[Evidence.TOP];
        int found = 0;
        for (int j = 0; j < FEATURES; j++) {
            double weight = Math.abs(row[offset + j] - stats.mean(j)) / Math.max(stats.std(j), 1e-9);
            if (weight <= 0 || (found == Evidence.TOP && weight <= weights[Evidence.TOP - 1])) {
                continue;
            }
            int at = Math.min(found, Evidence.TOP - 1);
            while (at > 0 && weights[at - 1] < weight) {
                weights[at] = weights[at - 1];
                best[at] = best[at - 1];
                at--;
            }
            weights[at] = weight;
            best[at] = j;
            found = Math.min(found + 1, Evidence.TOP);
        }
        List<Contribution> top = new ArrayList<>();
        for (int k = 0; k < found; k++) {
            top.add(new Contribution(descriptor.features().get(best[k]), row[offset + best[k]], weights[k]));
        }
        return top;
    }

    /** Contributions as text with every bit of their numbers (Contribution has no equals). */
    private static List<String> exact(List<Contribution> contributions) {
        return contributions.stream().map(c -> c.feature() + "=" + c.value() + "@" + c.weight()).toList();
    }

    private static ModelDescriptor descriptor(double[] mean, double[] std) {
        return Harness.descriptor("m", "1.0.0", new byte[] {1}).features(names())
                .training(Map.of("featureStats", new FeatureStats(mean, std).toJson())).build();
    }

    private static List<String> names() {
        return IntStream.range(0, FEATURES).mapToObj(j -> "f" + j).toList();
    }
}
