package io.amoskys.model.gbt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import ml.dmlc.xgboost4j.java.Booster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The conversion on synthetic rows, a fifth of the values missing (NaN), so that XGBoost learns
 * default directions both ways: ONNX Runtime must give {@code booster.predict} on every row,
 * including all-missing rows and rows beyond the training range.
 */
class SyntheticTest {
    /** |ONNX Runtime − booster.predict| on a probability: float32 sums of 100 leaves in another order. */
    static final double TOLERANCE = 1e-6;
    private static final int FEATURES = 12;

    /** Balanced classes give base_score 0.5 (margin 0); unbalanced ones another, which must become logit(base_score). */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void onnxRuntimeGivesTheBoosterPredictionsWithMissingValues(boolean balanceClasses) throws Exception {
        float[][] rows = rows(4000, 7, 0.2);
        int[] labels = labels(rows);
        GbtParameters parameters = new GbtParameters(100, 6, 0.3, 1, balanceClasses);
        Booster booster = Xgb.fit(rows, labels, parameters);
        try {
            BoostedTrees trees = BoostedTrees.fromJson(Xgb.json(booster));
            double attackShare = Arrays.stream(labels).average().orElseThrow();
            assertEquals(balanceClasses ? 0.5 : attackShare, trees.baseScore(), 0.01, "base score");
            assertTrue(balanceClasses || Math.abs(trees.baseMargin()) > 0.1, "an unbalanced set tests the base margin: " + trees.baseScore());
            boolean left = false;
            boolean right = false;
            for (BoostedTrees.Tree tree : trees.trees()) {
                for (int n = 0; n < tree.size(); n++) {
                    if (!tree.isLeaf(n)) {
                        left |= tree.defaultLeft()[n];
                        right |= !tree.defaultLeft()[n];
                    }
                }
            }
            assertTrue(left && right, "the data should teach missing values to go both ways");
            byte[] onnx = GbtOnnx.export(trees, Map.of()).toByteArray();

            List<float[]> probe = new ArrayList<>(Arrays.asList(rows(3000, 8, 0.3)));
            float[] allMissing = new float[FEATURES];
            Arrays.fill(allMissing, Float.NaN);
            probe.add(allMissing);
            probe.add(constant(1e30f));
            probe.add(constant(-1e30f));
            probe.add(constant(0f));
            float[][] input = probe.toArray(float[][]::new);
            float[] xgb = Xgb.predict(booster, input);
            float[] ort = OrtScores.of(onnx, input);
            double max = OrtScores.maxDifference(xgb, ort);
            System.out.printf("synthetic rows (30%% NaN, base score %.4f): max |ONNX Runtime - booster.predict| = %.3g over %d rows, %d trees%n",
                    trees.baseScore(), max, input.length, trees.trees().size());
            assertTrue(max <= TOLERANCE, "max difference " + max);
            assertTrue(Arrays.stream(toDouble(xgb)).anyMatch(p -> p > 0.9) && Arrays.stream(toDouble(xgb)).anyMatch(p -> p < 0.1),
                    "a model that learnt something");
        } finally {
            booster.dispose();
        }
    }

    @Test
    void theSameRowsAndSeedGiveTheSameOnnxBytes() {
        LabelledSet first = set(rows(2000, 3, 0.1));
        LabelledSet second = set(rows(2000, 3, 0.1));
        TrainedGbt a = GbtTrainer.train(first, GbtParameters.DEFAULTS);
        TrainedGbt b = GbtTrainer.train(second, GbtParameters.DEFAULTS);
        TrainedGbt other = GbtTrainer.train(set(rows(2000, 4, 0.1)), GbtParameters.DEFAULTS);
        try {
            assertArrayEquals(a.onnx(), b.onnx());
            assertArrayEquals(GbtDescriptors.describe(a, "gbt", "1.0.0", Map.of()).toJson(),
                    GbtDescriptors.describe(b, "gbt", "1.0.0", Map.of()).toJson());
            assertFalse(Arrays.equals(a.onnx(), other.onnx()), "other rows, another model");
        } finally {
            a.booster().dispose();
            b.booster().dispose();
            other.booster().dispose();
        }
    }

    @Test
    void onlyBinaryLogisticBoostersAreConverted() {
        String json = "{\"learner\": {\"objective\": {\"name\": \"reg:squarederror\"}}, \"version\": [3, 4, 0]}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BoostedTrees.fromJson(json.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("reg:squarederror"), e.getMessage());
    }

    /** Rows whose label depends on features 0-3, with missing values meaning something for feature 2. */
    static float[][] rows(int count, long seed, double missing) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] rows = new float[count][FEATURES];
        for (float[] row : rows) {
            for (int f = 0; f < FEATURES; f++) {
                row[f] = random.nextDouble() < missing ? Float.NaN : (float) (random.nextGaussian() * (f + 1));
            }
        }
        return rows;
    }

    static int[] labels(float[][] rows) {
        int[] labels = new int[rows.length];
        for (int r = 0; r < rows.length; r++) {
            float[] x = rows[r];
            double s = (Float.isNaN(x[0]) ? 1 : x[0]) - (Float.isNaN(x[1]) ? 0 : 0.5 * x[1])
                    + (Float.isNaN(x[2]) ? 2 : 0.2 * x[2] * x[2] - 1) + (Float.isNaN(x[3]) ? -1 : 0.1 * x[3]);
            labels[r] = s > 0.5 ? 1 : 0;
        }
        return labels;
    }

    static LabelledSet set(float[][] rows) {
        List<String> names = new ArrayList<>();
        for (int f = 0; f < FEATURES; f++) {
            names.add("x" + f);
        }
        FeatureSchema schema = new FeatureSchema("synthetic:1", 1, names);
        int[] labels = labels(rows);
        LabelledSet set = new LabelledSet();
        // LabelledSet keeps finite vectors only (as the runtime scores only those): fill the gaps
        for (int r = 0; r < rows.length; r++) {
            double[] values = new double[FEATURES];
            for (int f = 0; f < FEATURES; f++) {
                values[f] = Float.isNaN(rows[r][f]) ? -1 : rows[r][f];
            }
            set.add("g" + (r % 10), labels[r] == 1 ? "attack" : "benign", new FeatureVector(schema, "e", 0, values, List.of()));
        }
        return set;
    }

    private static float[] constant(float value) {
        float[] row = new float[FEATURES];
        Arrays.fill(row, value);
        return row;
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
