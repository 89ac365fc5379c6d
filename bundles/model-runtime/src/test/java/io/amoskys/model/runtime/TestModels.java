package io.amoskys.model.runtime;

import io.amoskys.onnx.writer.DataType;
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

/** Real ONNX models for the tests, written with the project's encoder; ONNX Runtime runs them. */
final class TestModels {
    private TestModels() {}

    /** score = sigmoid(X · w), input "X" [N, len(w)], output "score" [N, 1]. */
    static byte[] logistic(float... weights) {
        return model(false, weights, Dimension.param("N"), Dimension.of(1));
    }

    /** {@link #logistic} with its output declared [N, C], C left open: its columns are known only once it runs. */
    static byte[] logisticWithOpenColumns(float... weights) {
        return model(false, weights, Dimension.param("N"), Dimension.param("C"));
    }

    /**
     * The same, but the rows are first reshaped to [1, F]: one row at a time works (so it loads),
     * two in one call make ONNX Runtime fail, as a model that throws at run time.
     */
    static byte[] failingOnBatches(float... weights) {
        return model(true, weights, Dimension.param("N"), Dimension.of(1));
    }

    /**
     * A sequence model: input "X" [N, window, F] with F = len(w) / window, flattened to
     * [N, window·F] and scored as {@link #logistic}, so every position of the window counts with
     * its own weights (the test tells the positions apart). Output "score" [N, 1].
     */
    static byte[] windowed(int window, float... weights) {
        int features = weights.length / window;
        List<OnnxConstant> constants = List.of(OnnxConstant.floats("W", new long[] {weights.length, 1}, weights),
                OnnxConstant.int64s("flat", new long[] {2}, -1, weights.length));
        List<OnnxNode> nodes = List.of(OnnxNode.of("flatten", "Reshape", List.of("X", "flat"), List.of("X1")),
                OnnxNode.of("dot", "MatMul", List.of("X1", "W"), List.of("logit")),
                OnnxNode.of("sigmoid", "Sigmoid", List.of("logit"), List.of("score")));
        OnnxGraph graph = new OnnxGraph("test", nodes, constants,
                List.of(OnnxValueInfo.tensor("X", DataType.FLOAT, Dimension.param("N"), Dimension.of(window), Dimension.of(features))),
                List.of(OnnxValueInfo.tensor("score", DataType.FLOAT, Dimension.param("N"), Dimension.of(1))));
        return OnnxModel.of(List.of(OpsetId.onnx(15)), "amoskys-test", "1", graph, Map.of()).toByteArray();
    }

    /** The sigmoid score {@link #logistic} gives a row, computed in Java. */
    static double expected(float[] weights, double... row) {
        double dot = 0;
        for (int i = 0; i < weights.length; i++) {
            dot += weights[i] * (float) row[i];
        }
        return 1 / (1 + Math.exp(-dot));
    }

    private static byte[] model(boolean reshapeToOneRow, float[] weights, Dimension... output) {
        int width = weights.length;
        List<OnnxNode> nodes = new ArrayList<>();
        List<OnnxConstant> constants = new ArrayList<>();
        constants.add(OnnxConstant.floats("W", new long[] {width, 1}, weights));
        String x = "X";
        if (reshapeToOneRow) {
            constants.add(OnnxConstant.int64s("one_row", new long[] {2}, 1, width));
            nodes.add(OnnxNode.of("reshape", "Reshape", List.of("X", "one_row"), List.of("X1")));
            x = "X1";
        }
        nodes.add(OnnxNode.of("dot", "MatMul", List.of(x, "W"), List.of("logit")));
        nodes.add(OnnxNode.of("sigmoid", "Sigmoid", List.of("logit"), List.of("score")));
        OnnxGraph graph = new OnnxGraph("test", nodes, constants,
                List.of(OnnxValueInfo.tensor("X", DataType.FLOAT, Dimension.param("N"), Dimension.of(width))),
                List.of(OnnxValueInfo.tensor("score", DataType.FLOAT, output)));
        return OnnxModel.of(List.of(OpsetId.onnx(15)), "amoskys-test", "1", graph, Map.of()).toByteArray();
    }
}
