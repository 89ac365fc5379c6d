package io.amoskys.model.iforest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The forest on synthetic data with planted anomalies, and its ONNX export against ONNX Runtime.
 * Tolerance Java vs ONNX Runtime: 1e-6 absolute on the score (measured about 1e-7: float32 leaf
 * values and ONNX Runtime's float32 sum; the splits themselves agree exactly).
 */
class IsolationForestTest {
    static final double TOLERANCE = 1e-6;
    private static final int FEATURES = 8;
    private static final double[][] NORMAL = SyntheticData.normal(4000, FEATURES, 7);
    private static final double[][] PLANTED = SyntheticData.anomalies(80, FEATURES, 11);
    private static final double[][] ALL = SyntheticData.concat(NORMAL, PLANTED);

    @Test
    void plantedAnomaliesScoreHigher() {
        IsolationForest forest = IsolationForest.train(SyntheticData.floats(ALL), IsolationForestParameters.DEFAULTS);
        double auc = Auc.of(scores(forest, PLANTED), scores(forest, NORMAL));
        System.out.printf("synthetic data, 2%% planted anomalies: AUC %.4f%n", auc);
        assertTrue(auc > 0.9, "AUC " + auc);
        assertTrue(Arrays.stream(scores(forest, NORMAL)).average().orElseThrow() < 0.5);
    }

    @Test
    void onnxRuntimeGivesTheJavaScores() throws Exception {
        IsolationForest forest = IsolationForest.train(SyntheticData.floats(ALL), IsolationForestParameters.DEFAULTS);
        double[][] rows = SyntheticData.concat(ALL, onThresholds(forest));
        double[] ort = OrtScores.of(IsolationForestOnnx.export(forest, Map.of()).toByteArray(), rows);
        double max = maxDifference(scores(forest, rows), ort);
        System.out.printf("synthetic data: max |Java - ONNX Runtime| = %.3g over %d rows%n", max, rows.length);
        assertTrue(max <= TOLERANCE, "max difference " + max);
    }

    @Test
    void trainingIsRepeatableForASeed() {
        float[][] rows = SyntheticData.floats(ALL);
        byte[] first = IsolationForestOnnx.export(IsolationForest.train(rows, IsolationForestParameters.DEFAULTS), Map.of()).toByteArray();
        byte[] second = IsolationForestOnnx.export(IsolationForest.train(rows, IsolationForestParameters.DEFAULTS), Map.of()).toByteArray();
        byte[] otherSeed = IsolationForestOnnx.export(IsolationForest.train(rows, new IsolationForestParameters(100, 256, 2)), Map.of())
                .toByteArray();
        assertArrayEquals(first, second);
        assertFalse(Arrays.equals(first, otherSeed));
    }

    @Test
    void identicalRowsCannotBeSplitAndScoreOneHalf() throws Exception {
        double[][] same = new double[50][];
        Arrays.fill(same, new double[] {1, 2, 3});
        IsolationForest forest = IsolationForest.train(SyntheticData.floats(same), new IsolationForestParameters(10, 256, 1));
        assertEquals(0.5, forest.score(same[0]), 1e-12); // every tree a single leaf: E[h] = c(50)
        assertEquals(0.5, OrtScores.of(IsolationForestOnnx.export(forest, Map.of()).toByteArray(), new double[][] {same[0]})[0], TOLERANCE);
    }

    @Test
    void pathLengthsAndDepthLimitFollowThePaper() {
        assertEquals(0, PathLength.average(1));
        assertEquals(1, PathLength.average(2));
        // c(256) = 2 (ln 255 + gamma) - 2 * 255 / 256
        assertEquals(2 * (Math.log(255) + 0.5772156649015329) - 2 * 255.0 / 256, PathLength.average(256), 1e-12);
        assertEquals(10.2448, PathLength.average(256), 1e-4);
        assertEquals(8, IsolationForestParameters.maxDepth(256));
        assertEquals(9, IsolationForestParameters.maxDepth(257));
        assertEquals(1, IsolationForestParameters.maxDepth(2));
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> IsolationForest.train(new float[1][3], IsolationForestParameters.DEFAULTS));
        assertThrows(IllegalArgumentException.class, () -> new IsolationForestParameters(0, 256, 1));
        IsolationForest forest = IsolationForest.train(SyntheticData.floats(NORMAL), IsolationForestParameters.DEFAULTS);
        assertThrows(IllegalArgumentException.class, () -> forest.score(new double[FEATURES + 1]));
    }

    /** Rows whose values sit exactly on split thresholds (and one NaN row): where < and <= would part. */
    private static double[][] onThresholds(IsolationForest forest) {
        List<double[]> rows = new ArrayList<>();
        for (IsolationTree tree : forest.trees()) {
            double[] row = NORMAL[rows.size()].clone();
            for (int n = 0; n < tree.nodeCount(); n++) {
                if (tree.feature[n] != IsolationTree.LEAF) {
                    row[tree.feature[n]] = tree.threshold[n];
                }
            }
            rows.add(row);
        }
        double[] nan = NORMAL[0].clone();
        nan[0] = Double.NaN;
        rows.add(nan);
        return rows.toArray(double[][]::new);
    }

    static double[] scores(IsolationForest forest, double[][] rows) {
        return Arrays.stream(rows).mapToDouble(forest::score).toArray();
    }

    static double maxDifference(double[] a, double[] b) {
        assertEquals(a.length, b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
