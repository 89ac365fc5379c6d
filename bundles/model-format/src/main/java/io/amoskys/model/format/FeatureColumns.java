package io.amoskys.model.format;

import java.util.ArrayList;
import java.util.List;

/**
 * The columns a model takes: the schema's features that vary in the training rows (a constant
 * column cannot split and would only widen the input), with their training mean and standard
 * deviation, which the runtime shows as evidence (how far a vector's feature lies from normal;
 * {@link FeatureStats}). Shared by the training recipes.
 */
public record FeatureColumns(List<String> names, int[] indices, double[] means, double[] stds, List<String> dropped) {

    /** The columns of {@code features} that vary in {@code rows} (one row per vector, in schema order). */
    public static FeatureColumns varying(List<String> features, float[][] rows) {
        List<String> names = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        for (int f = 0; f < features.size(); f++) {
            if (varies(rows, f)) {
                names.add(features.get(f));
                indices.add(f);
            } else {
                dropped.add(features.get(f));
            }
        }
        int[] kept = indices.stream().mapToInt(Integer::intValue).toArray();
        double[] means = new double[kept.length];
        double[] stds = new double[kept.length];
        for (int k = 0; k < kept.length; k++) {
            double mean = 0;
            double m2 = 0;
            for (int r = 0; r < rows.length; r++) { // Welford: one pass, no cancellation
                double delta = rows[r][kept[k]] - mean;
                mean += delta / (r + 1);
                m2 += delta * (rows[r][kept[k]] - mean);
            }
            means[k] = mean;
            stds[k] = Math.sqrt(m2 / rows.length);
        }
        return new FeatureColumns(List.copyOf(names), kept, means, stds, List.copyOf(dropped));
    }

    /** The rows with only the kept columns, in order. */
    public float[][] project(float[][] rows) {
        float[][] out = new float[rows.length][indices.length];
        for (int r = 0; r < rows.length; r++) {
            for (int k = 0; k < indices.length; k++) {
                out[r][k] = rows[r][indices[k]];
            }
        }
        return out;
    }

    private static boolean varies(float[][] rows, int column) {
        for (float[] row : rows) {
            if (row[column] != rows[0][column]) {
                return true;
            }
        }
        return false;
    }
}
