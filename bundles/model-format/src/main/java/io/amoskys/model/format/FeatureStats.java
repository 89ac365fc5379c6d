package io.amoskys.model.format;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The mean and standard deviation of each input feature in the training data, in the order of
 * the descriptor's {@code features}, when the trainer recorded them
 * ({@code training.featureStats: {"mean": [...], "std": [...]}}). The runtime uses them as
 * evidence: the features of a vector furthest from their training mean.
 */
public final class FeatureStats {
    private final double[] mean;
    private final double[] std;

    public FeatureStats(double[] mean, double[] std) {
        if (mean.length != std.length) {
            throw new DescriptorException("training", "featureStats mean and std differ in length");
        }
        for (int i = 0; i < mean.length; i++) {
            if (!Double.isFinite(mean[i]) || !Double.isFinite(std[i]) || std[i] < 0) {
                throw new DescriptorException("training", "featureStats need finite means and stds >= 0 (column " + i + ")");
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    public int size() {
        return mean.length;
    }

    public double mean(int column) {
        return mean[column];
    }

    public double std(int column) {
        return std[column];
    }

    /** The {@code training.featureStats} value. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new TreeMap<>();
        json.put("mean", boxed(mean));
        json.put("std", boxed(std));
        return json;
    }

    static FeatureStats fromJson(Object json) {
        if (json instanceof Map<?, ?> map && map.get("mean") instanceof List<?> mean
                && map.get("std") instanceof List<?> std) {
            return new FeatureStats(unboxed(mean), unboxed(std));
        }
        throw new DescriptorException("training", "featureStats must be {\"mean\": [numbers], \"std\": [numbers]}");
    }

    private static List<Object> boxed(double[] values) {
        return Arrays.stream(values).boxed().map(Object.class::cast).toList();
    }

    private static double[] unboxed(List<?> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(values.get(i) instanceof Number n)) {
                throw new DescriptorException("training", "featureStats holds a non-number at " + i);
            }
            out[i] = n.doubleValue();
        }
        return out;
    }
}
