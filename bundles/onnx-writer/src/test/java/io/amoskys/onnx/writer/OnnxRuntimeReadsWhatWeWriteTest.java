package io.amoskys.onnx.writer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.amoskys.onnx.writer.OnnxValueInfo.Dimension;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Models written here, opened and run by ONNX Runtime: every kind of field the writer has. */
class OnnxRuntimeReadsWhatWeWriteTest {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    /** Y = (X + B) * 2 and S = sum of Y per row: initializers, a Constant's tensor attribute, an int attribute. */
    private static OnnxModel arithmetic(Map<String, String> metadata) {
        OnnxGraph graph = new OnnxGraph("arithmetic",
                List.of(OnnxNode.of("add", "Add", List.of("X", "B"), List.of("XB")),
                        new OnnxNode("two", "Constant", "", List.of(), List.of("two"),
                                List.of(OnnxAttribute.t("value", OnnxConstant.scalar("", 2f)))),
                        OnnxNode.of("double", "Mul", List.of("XB", "two"), List.of("Y")),
                        new OnnxNode("sum", "ReduceSum", "", List.of("Y", "axes"), List.of("S"),
                                List.of(OnnxAttribute.i("keepdims", 1)))),
                List.of(OnnxConstant.floats("B", new long[] {3}, 1f, 2f, 3f), OnnxConstant.int64s("axes", new long[] {1}, 1)),
                List.of(OnnxValueInfo.tensor("X", DataType.FLOAT, Dimension.param("N"), Dimension.of(3))),
                List.of(OnnxValueInfo.tensor("Y", DataType.FLOAT, Dimension.param("N"), Dimension.of(3)),
                        OnnxValueInfo.tensor("S", DataType.FLOAT, Dimension.param("N"), Dimension.of(1))));
        return OnnxModel.of(List.of(OpsetId.onnx(15)), "amoskys-test", "1", graph, metadata);
    }

    /** One tree: feature 1 < 0.5 → 10, else 20; then a raw-data bias of 0.25 added. */
    private static OnnxModel oneTree() {
        ByteBuffer bias = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.25f);
        OnnxNode tree = new OnnxNode("tree", "TreeEnsembleRegressor", OpsetId.ML_DOMAIN, List.of("X"), List.of("T"), List.of(
                OnnxAttribute.i("n_targets", 1),
                OnnxAttribute.s("aggregate_function", "SUM"),
                OnnxAttribute.ints("nodes_treeids", 0, 0, 0),
                OnnxAttribute.ints("nodes_nodeids", 0, 1, 2),
                OnnxAttribute.ints("nodes_featureids", 1, 0, 0),
                OnnxAttribute.floats("nodes_values", 0.5f, 0f, 0f),
                OnnxAttribute.strings("nodes_modes", List.of("BRANCH_LT", "LEAF", "LEAF")),
                OnnxAttribute.ints("nodes_truenodeids", 1, 0, 0),
                OnnxAttribute.ints("nodes_falsenodeids", 2, 0, 0),
                OnnxAttribute.ints("target_treeids", 0, 0),
                OnnxAttribute.ints("target_nodeids", 1, 2),
                OnnxAttribute.ints("target_ids", 0, 0),
                OnnxAttribute.floats("target_weights", 10f, 20f)));
        OnnxGraph graph = new OnnxGraph("tree",
                List.of(tree, OnnxNode.of("bias", "Add", List.of("T", "bias"), List.of("Y"))),
                List.of(OnnxConstant.raw("bias", DataType.FLOAT, new long[] {1}, bias.array())),
                List.of(OnnxValueInfo.tensor("X", DataType.FLOAT, Dimension.param("N"), Dimension.of(2))),
                List.of(OnnxValueInfo.tensor("Y", DataType.FLOAT, Dimension.param("N"), Dimension.of(1))));
        return OnnxModel.of(List.of(OpsetId.onnx(15), OpsetId.onnxMl(3)), "amoskys-test", "1", graph, Map.of());
    }

    @Test
    void arithmeticRunsWithItsNamesShapesAndMetadata() throws OrtException {
        try (OrtSession session = ENV.createSession(arithmetic(Map.of("amoskys.kind", "test")).toByteArray(),
                new OrtSession.SessionOptions())) {
            TensorInfo input = (TensorInfo) session.getInputInfo().get("X").getInfo();
            assertArrayEquals(new long[] {-1, 3}, input.getShape());
            assertEquals(List.of("Y", "S"), List.copyOf(session.getOutputNames()));
            assertEquals("amoskys-test", session.getMetadata().getProducerName());
            assertEquals(Map.of("amoskys.kind", "test"), session.getMetadata().getCustomMetadata());
            float[][] y;
            float[][] s;
            try (ai.onnxruntime.OnnxTensor x = ai.onnxruntime.OnnxTensor.createTensor(ENV, new float[][] {{0, 0, 0}, {1, -1, 0.5f}});
                    OrtSession.Result result = session.run(Map.of("X", x))) {
                y = (float[][]) result.get("Y").get().getValue();
                s = (float[][]) result.get("S").get().getValue();
            }
            assertArrayEquals(new float[] {2, 4, 6}, y[0]);
            assertArrayEquals(new float[] {4, 2, 7}, y[1]);
            assertArrayEquals(new float[] {12}, s[0]);
            assertArrayEquals(new float[] {13}, s[1]);
        }
    }

    @Test
    void aTreeEnsembleSplitsStrictlyBelowItsThreshold() throws OrtException {
        try (OrtSession session = ENV.createSession(oneTree().toByteArray(), new OrtSession.SessionOptions());
                ai.onnxruntime.OnnxTensor x = ai.onnxruntime.OnnxTensor.createTensor(ENV,
                        new float[][] {{9, 0.4999f}, {9, 0.5f}, {9, Float.NaN}});
                OrtSession.Result result = session.run(Map.of("X", x))) {
            float[][] y = (float[][]) result.get(0).getValue();
            assertArrayEquals(new float[] {10.25f}, y[0]);
            assertArrayEquals(new float[] {20.25f}, y[1], "BRANCH_LT: equal to the threshold goes to the false branch");
            assertArrayEquals(new float[] {20.25f}, y[2], "NaN compares false");
        }
    }

    @Test
    void theSameModelGivesTheSameBytesWhateverTheMetadataOrder() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");
        assertArrayEquals(arithmetic(ab).toByteArray(), arithmetic(ba).toByteArray());
        assertArrayEquals(oneTree().toByteArray(), oneTree().toByteArray());
        assertFalse(java.util.Arrays.equals(arithmetic(ab).toByteArray(), arithmetic(Map.of()).toByteArray()));
    }

    @Test
    void aBrokenModelIsRefusedByTheRuntime() {
        byte[] bytes = oneTree().toByteArray();
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        assertThrows(OrtException.class, () -> ENV.createSession(truncated, new OrtSession.SessionOptions()).close());
    }

    @Test
    void constantsCheckTheirElementCount() {
        assertThrows(IllegalArgumentException.class, () -> OnnxConstant.floats("w", new long[] {2, 2}, 1f, 2f, 3f));
        assertThrows(IllegalArgumentException.class, () -> OnnxConstant.raw("s", DataType.STRING, new long[] {1}, new byte[1]));
    }
}
