package io.amoskys.model.gbt;

import io.amoskys.model.format.FeatureColumns;
import io.amoskys.model.format.FeatureStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;

/**
 * Trains the attack classifier: the set's columns that vary (a constant column cannot split and
 * would only widen the input), XGBoost on them, the booster's JSON model converted to ONNX.
 */
public final class GbtTrainer {
    /** The verdict threshold: the probability is balanced between the classes (see {@link GbtParameters#balanceClasses}). */
    public static final double THRESHOLD = 0.5;

    private GbtTrainer() {}

    public static TrainedGbt train(LabelledSet set, GbtParameters parameters) {
        if (set.schema() == null || set.size() == 0) {
            throw new IllegalArgumentException("no training vectors");
        }
        float[][] all = set.rows();
        int[] labels = set.labels();
        FeatureColumns varying = FeatureColumns.varying(set.schema().features(), all);
        List<String> features = varying.names();
        List<String> dropped = varying.dropped();
        int[] columns = varying.indices();
        float[][] rows = varying.project(all);
        double[] means = varying.means();
        double[] stds = varying.stds();

        Booster booster = Xgb.fit(rows, labels, parameters);
        BoostedTrees trees = BoostedTrees.fromJson(Xgb.json(booster));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("amoskys.exporter", "io.amoskys.model.gbt " + GbtOnnx.EXPORTER_VERSION);
        metadata.put("amoskys.schema", set.schema().name());
        metadata.put("xgboost.version", trees.version());
        byte[] onnx = GbtOnnx.export(trees, metadata).toByteArray();

        long attacks = java.util.Arrays.stream(labels).filter(l -> l == 1).count();
        Map<String, Object> rowsPerClass = new LinkedHashMap<>();
        rowsPerClass.put("benign", labels.length - attacks);
        rowsPerClass.put("attack", attacks);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("data", set.sources());
        training.put("rows", rows.length);
        training.put("rowsPerClass", rowsPerClass);
        training.put("rowsPerCategory", new LinkedHashMap<>(set.rowsPerCategory()));
        training.put("label", "1 for a capture whose MANIFEST category does not start with 'benign' (an attack class), else 0");
        training.put("notFiniteVectorsSkipped", set.notFinite());
        training.put("otherSchemaVectorsSkipped", set.otherSchemas());
        training.put("droppedConstantFeatures", dropped);
        training.put("parameters", parameters.toJson(Xgb.scalePosWeight(labels, parameters)));
        training.put("seed", parameters.seed());
        training.put("xgboost", "ml.dmlc:xgboost4j_2.12:" + trees.version());
        training.put("trees", trees.trees().size());
        training.put("baseScore", trees.baseScore());
        training.put("threshold", "0.5: the probability under equal class priors (attack rows weighted by benign/attack)");
        training.put("featureStats", new FeatureStats(means, stds).toJson());
        return new TrainedGbt(booster, trees, set.schema().name(), List.copyOf(features), columns, onnx, THRESHOLD, means, stds, training);
    }
}
