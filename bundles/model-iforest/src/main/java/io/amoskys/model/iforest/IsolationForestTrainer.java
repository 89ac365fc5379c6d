package io.amoskys.model.iforest;

import io.amoskys.model.format.FeatureColumns;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link TrainingSet} to a {@link TrainedIsolationForest}: keeps the varying columns, grows the
 * forest, exports it to ONNX, and sets the threshold at the 99th percentile of the training rows'
 * own scores, so that about 1% of the baseline would be flagged (the calibration is the identity:
 * Isolation Forest scores already lie in (0, 1]).
 */
public final class IsolationForestTrainer {
    static final double THRESHOLD_QUANTILE = 0.99;
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
        double threshold = quantile(scores, THRESHOLD_QUANTILE);
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
        metrics.put("trainingScoreP99", threshold);
        metrics.put("trainingScoreMax", sortedScores[sortedScores.length - 1]);
        metrics.put("threshold", "99th percentile of the training rows' scores (nearest rank)");
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
