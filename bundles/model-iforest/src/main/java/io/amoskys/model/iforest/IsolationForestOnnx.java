package io.amoskys.model.iforest;

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

/**
 * An {@link IsolationForest} as an ONNX graph that gives the same score:
 * {@code features [N, F]} → {@code TreeEnsembleRegressor} (ai.onnx.ml 3) summing, per row, each
 * leaf's path length divided by {@code trees × c(psi)}, which is {@code E[h(x)]/c(psi)} → {@code Neg}
 * → {@code Pow(2, ·)} → {@code score [N, 1]}.
 *
 * <p>Splits are {@code BRANCH_LT} on float32 thresholds, as the Java trees split; the only
 * difference left is float32 rounding of the leaf values and of ONNX Runtime's sum (about 1e-7).
 */
public final class IsolationForestOnnx {
    public static final String INPUT = "features";
    public static final String OUTPUT = "score";
    /** Raised when the graph's layout changes; recorded in the model's metadata. */
    public static final String EXPORTER_VERSION = "1";

    private IsolationForestOnnx() {}

    /** @param metadata written into the model's {@code metadata_props}, sorted by key */
    public static OnnxModel export(IsolationForest forest, Map<String, String> metadata) {
        OnnxNode trees = new OnnxNode("isolation_trees", "TreeEnsembleRegressor", OpsetId.ML_DOMAIN, List.of(INPUT),
                List.of("normalized_path_length"), treeAttributes(forest));
        OnnxGraph graph = new OnnxGraph("isolation_forest",
                List.of(trees,
                        OnnxNode.of("negate", "Neg", List.of("normalized_path_length"), List.of("exponent")),
                        OnnxNode.of("power_of_two", "Pow", List.of("two", "exponent"), List.of(OUTPUT))),
                List.of(OnnxConstant.scalar("two", 2f)),
                List.of(OnnxValueInfo.tensor(INPUT, DataType.FLOAT, Dimension.param("N"), Dimension.of(forest.featureCount()))),
                List.of(OnnxValueInfo.tensor(OUTPUT, DataType.FLOAT, Dimension.param("N"), Dimension.of(1))));
        return OnnxModel.of(List.of(OpsetId.onnx(15), OpsetId.onnxMl(3)), "amoskys-iforest", EXPORTER_VERSION, graph, metadata);
    }

    private static List<OnnxAttribute> treeAttributes(IsolationForest forest) {
        int nodeCount = forest.trees().stream().mapToInt(IsolationTree::nodeCount).sum();
        int leafCount = (nodeCount + forest.treeCount()) / 2; // every split adds one leaf to a tree's one
        long[] treeIds = new long[nodeCount];
        long[] nodeIds = new long[nodeCount];
        long[] featureIds = new long[nodeCount];
        float[] thresholds = new float[nodeCount];
        List<String> modes = new ArrayList<>(nodeCount);
        long[] trueIds = new long[nodeCount];
        long[] falseIds = new long[nodeCount];
        long[] leafTrees = new long[leafCount];
        long[] leafNodes = new long[leafCount];
        float[] leafWeights = new float[leafCount];
        double leafScale = forest.treeCount() * PathLength.average(forest.sampleSize());
        int i = 0;
        int l = 0;
        for (int t = 0; t < forest.treeCount(); t++) {
            IsolationTree tree = forest.trees().get(t);
            for (int n = 0; n < tree.nodeCount(); n++, i++) {
                treeIds[i] = t;
                nodeIds[i] = n;
                if (tree.feature[n] == IsolationTree.LEAF) {
                    modes.add("LEAF");
                    leafTrees[l] = t;
                    leafNodes[l] = n;
                    leafWeights[l++] = (float) (tree.leafPathLength[n] / leafScale);
                } else {
                    modes.add("BRANCH_LT");
                    featureIds[i] = tree.feature[n];
                    thresholds[i] = tree.threshold[n];
                    trueIds[i] = tree.left[n];
                    falseIds[i] = tree.right[n];
                }
            }
        }
        return List.of(
                OnnxAttribute.i("n_targets", 1),
                OnnxAttribute.s("aggregate_function", "SUM"),
                OnnxAttribute.s("post_transform", "NONE"),
                OnnxAttribute.floats("base_values", 0f),
                OnnxAttribute.ints("nodes_treeids", treeIds),
                OnnxAttribute.ints("nodes_nodeids", nodeIds),
                OnnxAttribute.ints("nodes_featureids", featureIds),
                OnnxAttribute.floats("nodes_values", thresholds),
                OnnxAttribute.strings("nodes_modes", modes),
                OnnxAttribute.ints("nodes_truenodeids", trueIds),
                OnnxAttribute.ints("nodes_falsenodeids", falseIds),
                OnnxAttribute.ints("target_treeids", leafTrees),
                OnnxAttribute.ints("target_nodeids", leafNodes),
                OnnxAttribute.ints("target_ids", new long[leafCount]),
                OnnxAttribute.floats("target_weights", leafWeights));
    }
}
