package io.amoskys.model.gbt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.Detector;
import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.model.runtime.RuntimeOutsideOsgi;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classifier on the real captures' flow vectors (the platform's own flow agent and stages),
 * labelled by MANIFEST.tsv: ONNX Runtime against {@code booster.predict} on every row, with
 * missing values punched in; the model runtime's detector one row at a time (its Java evaluation
 * of the tree graph); and a leave-one-capture-out sanity AUC.
 */
class RealVectorsTest {
    private static TrainedGbt model;

    @BeforeAll
    static void trainOnEveryCapture() throws Exception {
        model = GbtTrainer.train(Captures.all(), GbtParameters.DEFAULTS);
    }

    @AfterAll
    static void dispose() {
        model.booster().dispose();
    }

    @Test
    void theCapturesGiveBothClasses() throws Exception {
        LabelledSet set = Captures.all();
        Map<String, Long> perCategory = set.rowsPerCategory();
        System.out.printf("real flow vectors: %d rows of %d captures, %d of %d features vary; rows per category %s%n", set.size(),
                new TreeSet<>(set.groups()).size(), model.features().size(), set.schema().size(), perCategory);
        assertEquals("flow:canonical.1+temporal.2+cross.1+domain.2+anomaly.1", model.schema());
        assertTrue(perCategory.keySet().stream().anyMatch(c -> c.startsWith("benign")));
        assertTrue(perCategory.keySet().containsAll(java.util.List.of("scan", "dos", "bruteforce")), perCategory.toString());
    }

    @Test
    void onnxRuntimeGivesTheBoosterPredictionsOnEveryCapture() throws Exception {
        float[][] input = model.modelInput(Captures.all().rows());
        float[] xgb = Xgb.predict(model.booster(), input);
        float[] ort = OrtScores.of(model.onnx(), input);
        double max = OrtScores.maxDifference(xgb, ort);

        // the same rows with a tenth of their values missing: the default directions the trees learnt
        float[][] holes = Arrays.stream(input).map(float[]::clone).toArray(float[][]::new);
        SplittableRandom random = new SplittableRandom(11);
        for (float[] row : holes) {
            for (int f = 0; f < row.length; f++) {
                if (random.nextDouble() < 0.1) {
                    row[f] = Float.NaN;
                }
            }
        }
        double maxHoles = OrtScores.maxDifference(Xgb.predict(model.booster(), holes), OrtScores.of(model.onnx(), holes));
        System.out.printf("real flow vectors: max |ONNX Runtime - booster.predict| = %.3g over %d rows; with 10%% NaN %.3g%n", max,
                input.length, maxHoles);
        assertTrue(max <= SyntheticTest.TOLERANCE, "max difference " + max);
        assertTrue(maxHoles <= SyntheticTest.TOLERANCE, "max difference with missing values " + maxHoles);
    }

    @Test
    void theRuntimeScoresOneVectorAtATimeInJavaAsTheBoosterPredicts(@TempDir Path folder) throws Exception {
        LabelledSet set = Captures.all();
        FeatureSchema schema = set.schema();
        float[] xgb = Xgb.predict(model.booster(), model.modelInput(set.rows()));
        double max = 0;
        try (RuntimeOutsideOsgi runtime = new RuntimeOutsideOsgi(folder)) {
            Detector detector = runtime.start(GbtDescriptors.describe(model, "gbt", "1.0.0", Map.of()), model.onnx());
            assertTrue(runtime.javaTreeRows("gbt") > 0, "the boosted trees' graph is scored in Java for single rows");
            for (int i = 0; i < set.size(); i++) {
                float[] row = set.rows()[i];
                double[] values = new double[row.length];
                Arrays.setAll(values, j -> row[j]);
                FeatureVector vector = new FeatureVector(schema, "host", 0, values, List.of());
                max = Math.max(max, Math.abs(detector.score(vector).value() - xgb[i]));
            }
        }
        System.out.printf("real flow vectors one at a time: max |detector - booster.predict| = %.3g over %d rows%n", max, set.size());
        assertTrue(max <= SyntheticTest.TOLERANCE, "max difference " + max);
    }

    @Test
    void trainingTwiceGivesTheSameModelByteForByte() throws Exception {
        TrainedGbt again = GbtTrainer.train(Captures.all(), GbtParameters.DEFAULTS);
        try {
            assertArrayEquals(model.onnx(), again.onnx());
            assertEquals(model.training(), again.training());
        } finally {
            again.booster().dispose();
        }
    }

    @Test
    void heldOutCapturesAreRankedAboveTheBenignOnes() throws Exception {
        LeaveCapturesOut evaluation = Captures.evaluation();
        StringBuilder report = new StringBuilder();
        evaluation.perCategory().forEach((category, m) -> report.append(String.format("  %-12s %s%n", category, m)));
        evaluation.perCapture().forEach((capture, m) -> report.append(String.format("  %-42s %s%n", capture, m)));
        System.out.printf("leave-one-capture-out (threshold %.2f): AUC %.4f, attack rows detected %.4f, benign rows flagged %.4f%n%s",
                GbtTrainer.THRESHOLD, evaluation.auc(), evaluation.attackDetectedShare(), evaluation.benignFlaggedShare(), report);
        assertEquals(Captures.all().size(), evaluation.scores().length);
        assertTrue(evaluation.auc() > 0.8, "held-out AUC " + evaluation.auc());
    }
}
