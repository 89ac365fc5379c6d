package io.amoskys.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import io.amoskys.api.event.Score;
import io.amoskys.model.format.ModelDescriptor;
import io.amoskys.model.runtime.trees.TreeGraph;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tree models scored in Java: the same scores as ONNX Runtime's for every branch mode,
 * missing-value rule, aggregation and element-wise step the exporters use, one row at a time and
 * in blocks; and ONNX Runtime for everything else.
 */
class JavaTreesTest {
    static final OrtEnvironment ORT = OrtEnvironment.getEnvironment();
    static final int WIDTH = Harness.FEATURES.size();
    static final List<String> MODES = List.of("BRANCH_LT", "BRANCH_LEQ", "BRANCH_GT", "BRANCH_GTE", "BRANCH_EQ", "BRANCH_NEQ");

    @TempDir
    Path folder;

    @Test
    void everyBranchModeAndMissingValueRuleScoresAsOnnxRuntime() throws Exception {
        for (String mode : MODES) {
            for (boolean nanGoesTrue : new boolean[] {false, true}) {
                byte[] onnx = new TreeModels(WIDTH).mode(mode, nanGoesTrue).forestSteps().onnx();
                assertSameScores(onnx, mode + (nanGoesTrue ? ", NaN goes true" : ""));
            }
        }
    }

    @Test
    void aggregationsPostTransformsAndStepsWithConstantsScoreAsOnnxRuntime() throws Exception {
        assertSameScores(new TreeModels(WIDTH).aggregate("AVERAGE", "NONE", 0.25f).step("Sigmoid", null, false).onnx(),
                "average, base, sigmoid");
        assertSameScores(new TreeModels(WIDTH).aggregate("SUM", "NONE", -1.5f).step("Sigmoid", null, false).onnx(),
                "sum, base, sigmoid");
        assertSameScores(new TreeModels(WIDTH).step("Sub", 3f, true).step("Div", 0.5f, false).step("Mul", -2f, true)
                .step("Add", 0.125f, false).step("Identity", null, false).onnx(), "constants on both sides");
        assertSameScores(new TreeModels(WIDTH).trees(100, 8).mode("BRANCH_LEQ", true).aggregate("SUM", "NONE", null)
                .step("Sigmoid", null, false).onnx(), "a hundred trees of depth 8, as the boosted trees");
    }

    /**
     * Opens the model twice, with and without the Java trees, and compares them row by row, NaN rows
     * too; then 150 rows in one call (blocks of rows walking the trees together, the last one short).
     */
    private static void assertSameScores(byte[] onnx, String what) throws Exception {
        ModelDescriptor d = Harness.descriptor("trees", "1.0.0", onnx).build();
        try (OrtModel java = OrtModel.open(ORT, onnx, d, 1024, 1, 8); OrtModel ort = OrtModel.open(ORT, onnx, d, 1024, 1, 0)) {
            assertEquals(8, java.javaTreeRows(), what + ": the Java trees pass the probe rows");
            assertEquals(0, ort.javaTreeRows());
            SplittableRandom random = new SplittableRandom(7);
            float[] rows = new float[2000 * WIDTH];
            for (int r = 0; r < 2000; r++) {
                float[] row = new float[WIDTH];
                for (int f = 0; f < WIDTH; f++) {
                    float at = random.nextInt(-5, 6) / 2f; // the thresholds' grid, so rows land on them
                    row[f] = switch (random.nextInt(8)) {
                        case 0 -> Float.NaN;
                        case 1 -> Math.nextUp(at);
                        case 2 -> Math.nextDown(at);
                        case 3 -> (float) random.nextGaussian() * 3;
                        default -> at;
                    };
                }
                System.arraycopy(row, 0, rows, r * WIDTH, WIDTH);
                assertClose(ort.run(row, 1)[0], java.run(row, 1)[0], what + ": row " + Arrays.toString(row));
            }
            float[] expected = ort.run(rows, 150);
            float[] actual = TreeGraph.compile(onnx, "X", "score", WIDTH).graph().score(rows, 150);
            for (int r = 0; r < 150; r++) {
                assertClose(expected[r], actual[r], what + ": row " + r + " of 150 in one call");
            }
        }
    }

    private static void assertClose(float expected, float actual, String what) {
        assertTrue(Math.abs(actual - expected) <= OrtModel.TREE_TOLERANCE * Math.max(1, Math.abs(expected)),
                what + ": Java " + actual + ", ONNX Runtime " + expected);
    }

    @Test
    void javaTreesThatDisagreeWithOnnxRuntimeOnTheProbeRowsAreNotUsed() throws Exception {
        byte[] onnx = new TreeModels(WIDTH).forestSteps().onnx();
        byte[] other = new TreeModels(WIDTH).seed(2).forestSteps().onnx();
        ModelDescriptor d = Harness.descriptor("trees", "1.0.0", onnx).build();
        try (OrtModel model = OrtModel.open(ORT, onnx, d, 1024, 1, 0)) {
            model.verifyTrees(TreeGraph.compile(other, "X", "score", WIDTH), 8, d);
            assertEquals(0, model.javaTreeRows(), "another forest's trees must not score this one");
            model.verifyTrees(TreeGraph.compile(onnx, "X", "score", WIDTH), 8, d);
            assertEquals(8, model.javaTreeRows(), "its own trees do");
        }
    }

    @Test
    void aModelThatIsNotATreeGraphIsScoredByOnnxRuntime() throws Exception {
        byte[] onnx = TestModels.logistic(0.001f, 0.1f, -0.5f);
        ModelDescriptor d = Harness.descriptor("lr", "1.0.0", onnx).build();
        try (OrtModel model = OrtModel.open(ORT, onnx, d, 1024, 1, 8)) {
            assertEquals(0, model.javaTreeRows());
        }
        TreeGraph.Compiled compiled = TreeGraph.compile(onnx, "X", "score", WIDTH);
        assertNull(compiled.graph());
        assertTrue(compiled.unsupported().contains("TreeEnsembleRegressor"), compiled.unsupported());
        byte[] trees = new TreeModels(WIDTH).step("Exp", null, false).onnx();
        assertTrue(TreeGraph.compile(trees, "X", "score", WIDTH).unsupported().contains("Exp"), "an element-wise step it does not do");
        // ONNX Runtime 1.23 ignores LOGISTIC on a one-target regressor: not a rule to copy.
        byte[] logistic = new TreeModels(WIDTH).aggregate("SUM", "LOGISTIC", null).onnx();
        assertTrue(TreeGraph.compile(logistic, "X", "score", WIDTH).unsupported().contains("post_transform LOGISTIC"));
    }

    @Test
    void damagedModelBytesAreNeverAnExceptionOnlyNoJavaTrees() {
        byte[] onnx = new TreeModels(WIDTH).forestSteps().onnx();
        assertNotNull(TreeGraph.compile(onnx, "X", "score", WIDTH).graph());
        SplittableRandom random = new SplittableRandom(11);
        int unreadable = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] damaged = random.nextInt(4) == 0 ? Arrays.copyOf(onnx, random.nextInt(onnx.length)) : onnx.clone();
            for (int k = random.nextInt(1, 9); k > 0 && damaged.length > 0; k--) {
                damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            }
            TreeGraph.Compiled compiled = TreeGraph.compile(damaged, "X", "score", WIDTH);
            assertTrue(compiled.graph() != null ^ compiled.unsupported() != null);
            if (compiled.graph() == null && compiled.unsupported().startsWith("unreadable")) {
                unreadable++;
            }
        }
        assertTrue(unreadable > 300, "the reader noticed damage " + unreadable + " times of 3000");
    }

    @Test
    void theDetectorScoresSingleRowsInJavaAndTheMetricsSaySo() throws Exception {
        byte[] forest = new TreeModels(WIDTH).forestSteps().onnx();
        byte[] lr = TestModels.logistic(0.001f, 0.1f, -0.5f);
        try (Harness h = new Harness(folder);
                OrtModel ort = OrtModel.open(ORT, forest, Harness.descriptor("forest", "1.0.0", forest).build(), 1024, 1, 0)) {
            h.start(h.bundle(Harness.descriptor("forest", "1.0.0", forest).build(), forest));
            h.start(h.bundle(Harness.descriptor("lr", "1.0.0", lr).build(), lr));
            Score score = h.detectors.get("forest").score(Harness.vector(1.5, -0.5, 2));

            assertEquals(ort.run(new float[] {1.5f, -0.5f, 2f}, 1)[0], score.value(), 1e-6);
            StringBuilder out = new StringBuilder();
            h.metrics.writePrometheus(out);
            String text = out.toString();
            assertTrue(text.contains("amoskys_model_java_tree_rows{model=\"forest\",version=\"1.0.0\"} "
                    + RuntimeSettings.DEFAULT_JAVA_TREE_ROWS + "\n"), text);
            assertTrue(text.contains("amoskys_model_java_tree_rows{model=\"lr\",version=\"1.0.0\"} 0\n"), text);
        }
    }
}
