package io.amoskys.model.gbt;

import io.amoskys.onnx.writer.DataType;
import io.amoskys.onnx.writer.OnnxAttribute;
import io.amoskys.onnx.writer.OnnxGraph;
import io.amoskys.onnx.writer.OnnxModel;
import io.amoskys.onnx.writer.OnnxNode;
import io.amoskys.onnx.writer.OnnxValueInfo;
import io.amoskys.onnx.writer.OnnxValueInfo.Dimension;
import io.amoskys.onnx.writer.OpsetId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * A {@link BoostedTrees} booster as an ONNX graph that gives XGBoost's prediction:
 * {@code features} float32 {@code [N, F]} → {@code TreeEnsembleRegressor} (ai.onnx.ml 3: the sum of
 * the leaves plus {@code logit(base_score)}, the margin) → {@code Sigmoid} → {@code probability}
 * float32 {@code [N, 1]}, the probability of an attack.
 *
 * <p>A regressor and an explicit {@code Sigmoid} rather than a {@code TreeEnsembleClassifier}: the
 * output is the one probability the runtime reads ({@code [N, 1]}, no {@code outputIndex}), and
 * the classifier's binary special cases (one weight column, base values, labels) are not needed.
 * Splits are {@code BRANCH_LT} on XGBoost's float32 split values, as XGBoost compares; a missing
 * value (NaN) goes where XGBoost's {@code default_left} sends it ({@code nodes_missing_value_tracks_true}).
 */
public final class GbtOnnx {
    public static final String INPUT = "features";
    public static final String OUTPUT = "probability";
    /** Raised when the graph's layout changes; recorded in the model's metadata. */
    public static final String EXPORTER_VERSION = "1";

    private GbtOnnx() {}

    /** @param metadata written into the model's {@code metadata_props}, sorted by key */
    public static OnnxModel export(BoostedTrees booster, Map<String, String> metadata) {
        OnnxNode trees = new OnnxNode("boosted_trees", "TreeEnsembleRegressor", OpsetId.ML_DOMAIN, List.of(INPUT), List.of("margin"),
                treeAttributes(booster));
        OnnxGraph graph = new OnnxGraph("gradient_boosted_trees",
                List.of(trees, OnnxNode.of("logistic", "Sigmoid", List.of("margin"), List.of(OUTPUT))),
                List.of(),
                List.of(OnnxValueInfo.tensor(INPUT, DataType.FLOAT, Dimension.param("N"), Dimension.of(booster.featureCount()))),
                List.of(OnnxValueInfo.tensor(OUTPUT, DataType.FLOAT, Dimension.param("N"), Dimension.of(1))));
        return OnnxModel.of(List.of(OpsetId.onnx(15), OpsetId.onnxMl(3)), "amoskys-gbt", EXPORTER_VERSION, graph, metadata);
    }

    private static List<OnnxAttribute> treeAttributes(BoostedTrees booster) {
        List<Long> treeIds = new ArrayList<>();
        List<Long> nodeIds = new ArrayList<>();
        List<Long> featureIds = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        List<String> modes = new ArrayList<>();
        List<Long> trueIds = new ArrayList<>();
        List<Long> falseIds = new ArrayList<>();
        List<Long> missingTracksTrue = new ArrayList<>();
        List<Long> leafTrees = new ArrayList<>();
        List<Long> leafNodes = new ArrayList<>();
        List<Float> leafWeights = new ArrayList<>();
        for (int t = 0; t < booster.trees().size(); t++) {
            BoostedTrees.Tree tree = booster.trees().get(t);
            // only the nodes reachable from the root, in breadth-first order (a pruned tree keeps deleted nodes)
            Deque<Integer> queue = new ArrayDeque<>(List.of(0));
            while (!queue.isEmpty()) {
                int n = queue.removeFirst();
                treeIds.add((long) t);
                nodeIds.add((long) n);
                if (tree.isLeaf(n)) {
                    modes.add("LEAF");
                    featureIds.add(0L);
                    values.add(0f);
                    trueIds.add(0L);
                    falseIds.add(0L);
                    missingTracksTrue.add(0L);
                    leafTrees.add((long) t);
                    leafNodes.add((long) n);
                    leafWeights.add(tree.value()[n]);
                } else {
                    if (tree.feature()[n] >= booster.featureCount()) {
                        throw new IllegalArgumentException("tree " + t + " splits on feature " + tree.feature()[n] + " of " + booster.featureCount());
                    }
                    modes.add("BRANCH_LT");
                    featureIds.add((long) tree.feature()[n]);
                    values.add(tree.value()[n]);
                    trueIds.add((long) tree.left()[n]);
                    falseIds.add((long) tree.right()[n]);
                    missingTracksTrue.add(tree.defaultLeft()[n] ? 1L : 0L);
                    queue.addLast(tree.left()[n]);
                    queue.addLast(tree.right()[n]);
                }
            }
        }
        return List.of(
                OnnxAttribute.i("n_targets", 1),
                OnnxAttribute.s("aggregate_function", "SUM"),
                OnnxAttribute.s("post_transform", "NONE"),
                OnnxAttribute.floats("base_values", (float) booster.baseMargin()),
                OnnxAttribute.ints("nodes_treeids", longs(treeIds)),
                OnnxAttribute.ints("nodes_nodeids", longs(nodeIds)),
                OnnxAttribute.ints("nodes_featureids", longs(featureIds)),
                OnnxAttribute.floats("nodes_values", floats(values)),
                OnnxAttribute.strings("nodes_modes", modes),
                OnnxAttribute.ints("nodes_truenodeids", longs(trueIds)),
                OnnxAttribute.ints("nodes_falsenodeids", longs(falseIds)),
                OnnxAttribute.ints("nodes_missing_value_tracks_true", longs(missingTracksTrue)),
                OnnxAttribute.ints("target_treeids", longs(leafTrees)),
                OnnxAttribute.ints("target_nodeids", longs(leafNodes)),
                OnnxAttribute.ints("target_ids", new long[leafTrees.size()]),
                OnnxAttribute.floats("target_weights", floats(leafWeights)));
    }

    private static long[] longs(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    private static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
