package io.amoskys.model.iforest;

import io.amoskys.model.format.FeatureColumns;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link TrainingSet} to a {@link TrainedIsolationForest}: keeps the varying columns, grows the
 * forest, exports it to ONNX, and sets the threshold at the {@code 1 - contamination} quantile of
 * the training rows' own scores, linearly interpolated between the two nearest ones (numpy's
 * default, as scikit-learn's {@code contamination}): the share {@code contamination} of the
 * baseline (10 % by default) scores at or above it. The calibration is the identity: Isolation
 * Forest scores already lie in (0, 1].
 */
public final class IsolationForestTrainer {
    static final String CODE = "io.amoskys.model.iforest.IsolationForestTrainer (exporter " + IsolationForestOnnx.EXPORTER_VERSION + ")";

    private IsolationForestTrainer() {}

    public static TrainedIsolationForest train(TrainingSet set, IsolationForestParameters parameters) {
        float[][] rows = set.rows();
        if (set.schema() == null || rows.length < 2) {
            throw new IllegalStateException("too little to train on: " + rows.length + " usable vectors (" + set.notFinite()
                    + " with values that are not finite) from " + (set.sources().isEmpty() ? "no source" : String.join("; ", set.sources())));
        }
        FeatureColumns columns = FeatureColumns.varying(set.schema().features(), rows);
        if (columns.names().isEmpty()) {
            throw new IllegalStateException("every feature is constant in the " + rows.length + " training vectors: nothing to split on");
        }
        float[][] projected = columns.project(rows);
        IsolationForest forest = IsolationForest.train(projected, parameters);
        double[] scores = new double[projected.length];
        for (int r = 0; r < projected.length; r++) {
            scores[r] = forest.score(widen(projected[r]));
        }
        Arrays.sort(scores);
        double threshold = interpolatedQuantile(scores, 1 - parameters.contamination());
        byte[] onnx = IsolationForestOnnx.export(forest, Map.of(
                "amoskys.model", "isolation-forest",
                "amoskys.schema", set.schema().name(),
                "amoskys.features", String.join(",", columns.names()))).toByteArray();
        return new TrainedIsolationForest(forest, set.schema().name(), columns.names(), onnx, threshold, columns.means(),
                columns.stds(), provenance(set, parameters, forest, columns, scores, threshold));
    }

    private static Map<String, Object> provenance(TrainingSet set, IsolationForestParameters parameters, IsolationForest forest,
            FeatureColumns columns, double[] sortedScores, double threshold) {
        Map<String, Object> parameterMap = new LinkedHashMap<>(parameters.asMap());
        parameterMap.put("effectiveSampleSize", forest.sampleSize());
        parameterMap.put("maxDepth", IsolationForestParameters.maxDepth(forest.sampleSize()));
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("trainingScoreMin", sortedScores[0]);
        metrics.put("trainingScoreMedian", quantile(sortedScores, 0.5));
        metrics.put("trainingScoreMax", sortedScores[sortedScores.length - 1]);
        metrics.put("threshold", "the " + (1 - parameters.contamination()) + " quantile of the training rows' scores, linearly "
                + "interpolated (contamination " + parameters.contamination() + ")");
        metrics.put("trainingRowsFlagged", Arrays.stream(sortedScores).filter(s -> s >= threshold).count());
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("algorithm", "Isolation Forest (Liu, Ting and Zhou 2008), trained in Java, float32 splits");
        training.put("data", set.sources());
        training.put("rows", sortedScores.length);
        training.put("vectorsSeen", set.vectors());
        training.put("vectorsNotFinite", set.notFinite());
        training.put("vectorsOfOtherSchemas", set.otherSchemas());
        training.put("code", CODE);
        training.put("parameters", parameterMap);
        training.put("droppedConstantFeatures", columns.dropped());
        training.put("metrics", metrics);
        return training;
    }

    /**
     * Linear interpolation between the closest ranks (numpy's default percentile, R's type 7):
     * position {@code q (n - 1)} in the sorted values.
     */
    static double interpolatedQuantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    /** Nearest rank: the smallest value with at least {@code q} of the values at or below it. */
    static double quantile(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double[] widen(float[] row) {
        double[] out = new double[row.length];
        for (int i = 0; i < row.length; i++) {
            out[i] = row[i];
        }
        return out;
    }
}
