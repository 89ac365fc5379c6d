package io.amoskys.model.iforest;

import io.amoskys.feature.export.Stages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.Detector;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import io.amoskys.model.runtime.RuntimeOutsideOsgi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forest on the real captures' flow vectors, made by the platform's own flow agent and
 * stages: trained on the benign captures (MANIFEST.tsv), then every capture's vectors scored in
 * Java and by ONNX Runtime from the exported model, and one at a time by the model runtime's
 * detector, which scores single rows of a tree model with its own Java evaluation of the graph.
 */
class RealVectorsTest {
    /** Capture → its flow vectors; capture → its MANIFEST category. */
    private static final Map<String, List<FeatureVector>> VECTORS = new LinkedHashMap<>();
    private static final Map<String, String> CATEGORY = new LinkedHashMap<>();
    private static TrainedIsolationForest model;

    @BeforeAll
    static void trainOnTheBenignCaptures() throws Exception {
        List<String> lines = Files.readAllLines(Stages.CAPTURES.resolve(TrainingSources.MANIFEST));
        List<String> header = Arrays.asList(lines.get(0).split("\t"));
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split("\t");
            String file = cells[header.indexOf("file")];
            CATEGORY.put(file, cells[header.indexOf("category")]);
            List<FeatureVector> vectors = new ArrayList<>();
            Stages.exports().vectors(Stages.flowAgent(), Stages.CAPTURES.resolve(file), "flow", vectors::add);
            VECTORS.put(file, vectors);
        }
        model = train(IsolationForestParameters.DEFAULTS);
    }

    private static TrainedIsolationForest train(IsolationForestParameters parameters) throws Exception {
        TrainingSet set = new TrainingSet(TrainingSet.DEFAULT_MAX_ROWS, parameters.seed());
        List<Path> baseline = TrainingSources.baselineCaptures(Stages.CAPTURES);
        TrainingSources.fromCaptures(Stages.exports(), Stages.flowAgent(), baseline, "flow", set);
        return IsolationForestTrainer.train(set, parameters);
    }

    @Test
    void theBaselineIsTheBenignCaptures() throws Exception {
        List<String> baseline = TrainingSources.baselineCaptures(Stages.CAPTURES).stream().map(p -> p.getFileName().toString()).toList();
        List<String> benign = CATEGORY.entrySet().stream().filter(e -> e.getValue().startsWith("benign")).map(Map.Entry::getKey).sorted().toList();
        assertEquals(benign, baseline);
        long benignVectors = benign.stream().mapToLong(file -> VECTORS.get(file).size()).sum();
        assertEquals(benignVectors, ((Number) model.training().get("rows")).longValue());
        assertEquals("flow:canonical.1+temporal.2+cross.1+domain.2+anomaly.1", model.schema());
    }

    @Test
    void onnxRuntimeGivesTheJavaScoresOnEveryCapture() throws Exception {
        double max = 0;
        int rows = 0;
        for (Map.Entry<String, List<FeatureVector>> capture : VECTORS.entrySet()) {
            if (capture.getValue().isEmpty()) {
                continue;
            }
            double[][] input = modelInput(capture.getValue());
            double[] java = IsolationForestTest.scores(model.forest(), input);
            double[] ort = OrtScores.of(model.onnx(), input);
            max = Math.max(max, IsolationForestTest.maxDifference(java, ort));
            rows += input.length;
        }
        System.out.printf("real flow vectors: max |Java - ONNX Runtime| = %.3g over %d rows of %d captures, %d features%n", max, rows,
                VECTORS.size(), model.features().size());
        assertTrue(max <= IsolationForestTest.TOLERANCE, "max difference " + max);
    }

    @Test
    void theRuntimeScoresOneVectorAtATimeInJavaAsTheForestDoes(@TempDir Path folder) throws Exception {
        double max = 0;
        int rows = 0;
        try (RuntimeOutsideOsgi runtime = new RuntimeOutsideOsgi(folder)) {
            Detector detector = runtime.start(IsolationForestDescriptors.describe(model, "iforest", "1.0.0", Map.of()), model.onnx());
            assertTrue(runtime.javaTreeRows("iforest") > 0, "the forest's graph is scored in Java for single rows");
            for (List<FeatureVector> capture : VECTORS.values()) {
                double[][] input = modelInput(capture);
                double[] java = IsolationForestTest.scores(model.forest(), input);
                for (int i = 0; i < input.length; i++) {
                    Score score = detector.score(capture.get(i));
                    max = Math.max(max, Math.abs(score.value() - java[i]));
                    rows++;
                }
            }
        }
        System.out.printf("real flow vectors one at a time: max |detector - Java forest| = %.3g over %d rows%n", max, rows);
        assertTrue(rows > 1000 && max <= IsolationForestTest.TOLERANCE, rows + " rows, max difference " + max);
    }

    @Test
    void attackVectorsScoreAboveTheBaseline() {
        List<Double> benign = new ArrayList<>();
        List<Double> attack = new ArrayList<>();
        List<Double> benignMax = new ArrayList<>();
        List<Double> attackMax = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        for (Map.Entry<String, List<FeatureVector>> capture : VECTORS.entrySet()) {
            boolean isBenign = CATEGORY.get(capture.getKey()).startsWith("benign");
            double[] scores = IsolationForestTest.scores(model.forest(), modelInput(capture.getValue()));
            Arrays.stream(scores).forEach((isBenign ? benign : attack)::add);
            double top = Arrays.stream(scores).max().orElse(Double.NaN);
            if (scores.length > 0) {
                (isBenign ? benignMax : attackMax).add(top);
            }
            report.append(String.format("  %-42s %-12s %4d vectors, max score %.3f, over threshold %d%n", capture.getKey(),
                    CATEGORY.get(capture.getKey()), scores.length, top, Arrays.stream(scores).filter(s -> s >= model.threshold()).count()));
        }
        double vectorAuc = Auc.of(unbox(attack), unbox(benign));
        double captureAuc = Auc.of(unbox(attackMax), unbox(benignMax));
        System.out.printf("real flow vectors (trained on the benign ones, threshold %.4f):%n%s  AUC per vector %.4f (%d attack, %d benign), "
                + "per capture by its highest score %.4f%n", model.threshold(), report, vectorAuc, attack.size(), benign.size(), captureAuc);
        assertTrue(vectorAuc > 0.8, "AUC per vector " + vectorAuc);
    }

    @Test
    void trainingTwiceGivesTheSameModelByteForByte() throws Exception {
        TrainedIsolationForest again = train(IsolationForestParameters.DEFAULTS);
        assertArrayEquals(model.onnx(), again.onnx());
        assertEquals(model.training(), again.training());
    }

    private static double[][] modelInput(List<FeatureVector> vectors) {
        return vectors.stream().map(v -> {
            double[] row = new double[model.features().size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = v.get(model.features().get(i));
            }
            return row;
        }).toArray(double[][]::new);
    }

    private static double[] unbox(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
