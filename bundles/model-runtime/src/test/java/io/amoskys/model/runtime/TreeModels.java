package io.amoskys.model.runtime;

import io.amoskys.onnx.writer.DataType;
import io.amoskys.onnx.writer.OnnxAttribute;
import io.amoskys.onnx.writer.OnnxConstant;
import io.amoskys.onnx.writer.OnnxGraph;
import io.amoskys.onnx.writer.OnnxModel;
import io.amoskys.onnx.writer.OnnxNode;
import io.amoskys.onnx.writer.OnnxValueInfo;
import io.amoskys.onnx.writer.OnnxValueInfo.Dimension;
import io.amoskys.onnx.writer.OpsetId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random tree ensembles as ONNX models for the tests: {@code X [N, features]} →
 * {@code TreeEnsembleRegressor} → the given element-wise steps → {@code score [N, 1]}, the shape the
 * Isolation Forest and the boosted trees export. Complete trees of one depth, node ids breadth first.
 */
final class TreeModels {
    private final int features;
    private int trees = 20;
    private int depth = 5;
    private String mode = "BRANCH_LT";
    private boolean missingTracksTrue;
    private String aggregate = "SUM";
    private String post = "NONE";
    private Float base;
    private long seed = 1;
    private final List<OnnxNode> steps = new ArrayList<>();
    private final List<OnnxConstant> constants = new ArrayList<>();

    TreeModels(int features) {
        this.features = features;
    }

    TreeModels trees(int count, int treeDepth) {
        trees = count;
        depth = treeDepth;
        return this;
    }

    TreeModels mode(String branchMode, boolean nanGoesTrue) {
        mode = branchMode;
        missingTracksTrue = nanGoesTrue;
        return this;
    }

    TreeModels aggregate(String function, String postTransform, Float baseValue) {
        aggregate = function;
        post = postTransform;
        base = baseValue;
        return this;
    }

    TreeModels seed(long value) {
        seed = value;
        return this;
    }

    /** Adds {@code op(previous)}, or with a scalar constant {@code op(previous, c)} or, first, {@code op(c, previous)}. */
    TreeModels step(String op, Float constant, boolean constantFirst) {
        String previous = steps.isEmpty() ? "trees" : "s" + steps.size();
        String out = "s" + (steps.size() + 1);
        List<String> inputs = List.of(previous);
        if (constant != null) {
            String c = "c" + steps.size();
            constants.add(OnnxConstant.scalar(c, constant));
            inputs = constantFirst ? List.of(c, previous) : List.of(previous, c);
        }
        steps.add(OnnxNode.of("step" + steps.size(), op, inputs, List.of(out)));
        return this;
    }

    /** The Isolation Forest's steps: {@code Pow(2, Neg(·))}. */
    TreeModels forestSteps() {
        return step("Neg", null, false).step("Pow", 2f, true);
    }

    byte[] onnx() {
        List<OnnxNode> nodes = new ArrayList<>();
        nodes.add(new OnnxNode("trees", "TreeEnsembleRegressor", OpsetId.ML_DOMAIN, List.of("X"),
                List.of(steps.isEmpty() ? "score" : "trees"), attributes()));
        for (int i = 0; i < steps.size(); i++) {
            OnnxNode s = steps.get(i);
            List<String> out = i == steps.size() - 1 ? List.of("score") : s.outputs();
            nodes.add(OnnxNode.of(s.name(), s.opType(), s.inputs(), out));
        }
        OnnxGraph graph = new OnnxGraph("trees", nodes, constants,
                List.of(OnnxValueInfo.tensor("X", DataType.FLOAT, Dimension.param("N"), Dimension.of(features))),
                List.of(OnnxValueInfo.tensor("score", DataType.FLOAT, Dimension.param("N"), Dimension.of(1))));
        return OnnxModel.of(List.of(OpsetId.onnx(15), OpsetId.onnxMl(3)), "amoskys-test", "1", graph, Map.of()).toByteArray();
    }

    private List<OnnxAttribute> attributes() {
        SplittableRandom random = new SplittableRandom(seed);
        int perTree = (1 << (depth + 1)) - 1;
        int splits = (1 << depth) - 1;
        int n = trees * perTree;
        long[] treeIds = new long[n];
        long[] nodeIds = new long[n];
        long[] featureIds = new long[n];
        float[] thresholds = new float[n];
        List<String> modes = new ArrayList<>();
        long[] trueIds = new long[n];
        long[] falseIds = new long[n];
        long[] missing = new long[n];
        int leaves = trees * (perTree - splits);
        long[] leafTrees = new long[leaves];
        long[] leafNodes = new long[leaves];
        float[] weights = new float[leaves];
        int l = 0;
        for (int t = 0, i = 0; t < trees; t++) {
            for (int node = 0; node < perTree; node++, i++) {
                treeIds[i] = t;
                nodeIds[i] = node;
                if (node < splits) {
                    modes.add(mode);
                    featureIds[i] = random.nextInt(features);
                    // Few distinct thresholds, so that rows land exactly on them too.
                    thresholds[i] = random.nextInt(-4, 5) / 2f;
                    trueIds[i] = 2L * node + 1;
                    falseIds[i] = 2L * node + 2;
                    missing[i] = missingTracksTrue ? 1 : 0;
                } else {
                    modes.add("LEAF");
                    leafTrees[l] = t;
                    leafNodes[l] = node;
                    weights[l++] = (float) random.nextGaussian() / trees;
                }
            }
        }
        List<OnnxAttribute> a = new ArrayList<>(List.of(
                OnnxAttribute.i("n_targets", 1),
                OnnxAttribute.s("aggregate_function", aggregate),
                OnnxAttribute.s("post_transform", post),
                OnnxAttribute.ints("nodes_treeids", treeIds),
                OnnxAttribute.ints("nodes_nodeids", nodeIds),
                OnnxAttribute.ints("nodes_featureids", featureIds),
                OnnxAttribute.floats("nodes_values", thresholds),
                OnnxAttribute.strings("nodes_modes", modes),
                OnnxAttribute.ints("nodes_truenodeids", trueIds),
                OnnxAttribute.ints("nodes_falsenodeids", falseIds),
                OnnxAttribute.ints("nodes_missing_value_tracks_true", missing),
                OnnxAttribute.ints("target_treeids", leafTrees),
                OnnxAttribute.ints("target_nodeids", leafNodes),
                OnnxAttribute.ints("target_ids", new long[leaves]),
                OnnxAttribute.floats("target_weights", weights)));
        if (base != null) {
            a.add(OnnxAttribute.floats("base_values", base));
        }
        return a;
    }
}
