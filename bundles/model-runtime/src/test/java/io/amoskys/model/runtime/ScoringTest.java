package io.amoskys.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.amoskys.api.Detector;
import io.amoskys.api.event.Contribution;
import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import io.amoskys.model.format.FeatureStats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real ONNX model scored by ONNX Runtime through the detector the runtime registers. */
class ScoringTest {
    static final float[] WEIGHTS = {0.001f, 0.1f, -0.5f};
    static final byte[] ONNX = TestModels.logistic(WEIGHTS);

    @TempDir
    Path folder;

    @Test
    void scoresWithOnnxRuntimeAndNamesTheModelAndTheEvents() throws Exception {
        try (Harness h = new Harness(folder)) {
            h.start(h.bundle(Harness.descriptor("flowlr", "1.0.0", ONNX).build(), ONNX));
            Score score = h.detectors.get("flowlr").score(Harness.vector(1500, 12, 0.3));

            assertEquals(TestModels.expected(WEIGHTS, 1500, 12, 0.3), score.value(), 1e-6);
            assertEquals("flowlr", score.detector());
            assertEquals("1.0.0", score.modelVersion());
            assertEquals("10.0.0.1", score.entityId());
            assertEquals(List.of("event-1", "event-2"), score.eventIds());
            assertEquals(List.of(), score.topContributions(), "no training statistics: no explanation claimed");
            assertEquals("active", h.status("flowlr", "1.0.0").state());
        }
    }

    @Test
    void picksTheModelsFeaturesByNameWhateverTheVectorsColumnOrder() throws Exception {
        try (Harness h = new Harness(folder)) {
            h.start(h.bundle(Harness.descriptor("flowlr", "1.0.0", ONNX).build(), ONNX));
            FeatureSchema reordered = new FeatureSchema(Harness.SCHEMA, 1, List.of("duration", "other", "packets", "bytes"));
            FeatureVector vector = new FeatureVector(reordered, "h", 0, new double[] {0.3, 99, 12, 1500}, List.of());
            assertEquals(TestModels.expected(WEIGHTS, 1500, 12, 0.3), h.detectors.get("flowlr").score(vector).value(), 1e-6);
        }
    }

    @Test
    void explainsWithTheFeaturesFurthestFromTheirTrainingMean() throws Exception {
        FeatureStats stats = new FeatureStats(new double[] {1000, 10, 0.5}, new double[] {100, 1, 0.1});
        try (Harness h = new Harness(folder)) {
            h.start(h.bundle(Harness.descriptor("flowlr", "1.0.0", ONNX)
                    .training(Map.of("featureStats", stats.toJson())).build(), ONNX));
            List<Contribution> top = h.detectors.get("flowlr").score(Harness.vector(1500, 12, 0.9)).topContributions();

            assertEquals(List.of("bytes", "duration", "packets"), top.stream().map(Contribution::feature).toList());
            assertEquals(5.0, top.get(0).weight(), 1e-4);
            assertEquals(4.0, top.get(1).weight(), 1e-4);
            assertEquals(1500.0, top.get(0).value());
        }
    }

    @Test
    void scoresABatchInOneOnnxRuntimeCall() throws Exception {
        try (Harness h = new Harness(folder)) {
            h.start(h.bundle(Harness.descriptor("flowlr", "1.0.0", ONNX).build(), ONNX));
            List<FeatureVector> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                batch.add(Harness.vector(100 * i, i, i / 10.0));
            }
            List<Score> scores = h.detectors.get("flowlr").scoreAll(batch);

            for (int i = 0; i < 10; i++) {
                assertEquals(TestModels.expected(WEIGHTS, 100 * i, i, i / 10.0), scores.get(i).value(), 1e-6);
            }
            VersionStats stats = h.catalog.entries().get(0).version().stats;
            assertEquals(1, stats.calls.sum());
            assertEquals(10, stats.rows.sum());
        }
    }

    @Test
    void splitsBatchesLargerThanTheConfiguredMost() throws Exception {
        try (Harness h = new Harness(folder, RuntimeSettingsForTests.settings(folder, 4))) {
            h.start(h.bundle(Harness.descriptor("flowlr", "1.0.0", ONNX).build(), ONNX));
            List<FeatureVector> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                batch.add(Harness.vector(i, i, i));
            }
            List<Score> scores = h.detectors.get("flowlr").scoreAll(batch);
            for (int i = 0; i < 10; i++) {
                assertEquals(TestModels.expected(WEIGHTS, i, i, i), scores.get(i).value(), 1e-6, "row " + i);
            }
            assertEquals(3, h.catalog.entries().get(0).version().stats.calls.sum());
        }
    }

    @Test
    void scoresAModelWhoseOutputColumnsAreOpen() throws Exception {
        // ONNX Runtime writes the scores into an output the runtime keeps when the declared shape
        // gives its size; an output of open size is read as the model makes it at each call.
        byte[] onnx = TestModels.logisticWithOpenColumns(WEIGHTS);
        try (Harness h = new Harness(folder)) {
            h.start(h.bundle(Harness.descriptor("flowlr", "1.0.0", onnx).build(), onnx));
            Detector detector = h.detectors.get("flowlr");
            assertNotNull(detector, () -> "the model loads: " + h.catalog.refusedModels());
            assertEquals(TestModels.expected(WEIGHTS, 1500, 12, 0.3), detector.score(Harness.vector(1500, 12, 0.3)).value(), 1e-6);
            List<FeatureVector> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                batch.add(Harness.vector(100 * i, i, i / 10.0));
            }
            List<Score> scores = detector.scoreAll(batch);
            for (int i = 0; i < 10; i++) {
                assertEquals(TestModels.expected(WEIGHTS, 100 * i, i, i / 10.0), scores.get(i).value(), 1e-6);
            }
        }
    }

    @Test
    void concurrentCallsOfEverySizeEachScoreTheirOwnRows() throws Exception {
        // Each row count's tensors are kept from call to call (a few counts) and held by one call at a time.
        try (Harness h = new Harness(folder)) {
            h.start(h.bundle(Harness.descriptor("flowlr", "1.0.0", ONNX).build(), ONNX));
            Detector detector = h.detectors.get("flowlr");
            ExecutorService threads = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> calls = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int thread = t;
                    calls.add(threads.submit(() -> {
                        for (int round = 0; round < 100; round++) {
                            int size = 1 + (round * 7 + thread * 3) % 40; // growing and shrinking
                            List<FeatureVector> batch = new ArrayList<>();
                            for (int i = 0; i < size; i++) {
                                batch.add(Harness.vector(thread * 1000 + i, round, i / 40.0));
                            }
                            List<Score> scores = detector.scoreAll(batch);
                            for (int i = 0; i < size; i++) {
                                assertEquals(TestModels.expected(WEIGHTS, thread * 1000 + i, round, i / 40.0),
                                        scores.get(i).value(), 1e-6, "thread " + thread + " round " + round + " row " + i);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> call : calls) {
                    call.get(60, TimeUnit.SECONDS);
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    void refusesNonFiniteValuesWithoutCallingOnnxRuntime() throws Exception {
        try (Harness h = new Harness(folder)) {
            h.start(h.bundle(Harness.descriptor("flowlr", "1.0.0", ONNX).build(), ONNX));
            Detector detector = h.detectors.get("flowlr");

            assertNull(detector.score(Harness.vector(Double.NaN, 1, 1)));
            assertNull(detector.score(Harness.vector(1, Double.POSITIVE_INFINITY, 1)));
            assertNull(detector.score(Harness.vector(1, 1, 1e39)), "too large for float32: infinite to the model");
            VersionStats stats = h.catalog.entries().get(0).version().stats;
            assertEquals(3, stats.errors.get(ScoringError.NON_FINITE).sum());
            assertEquals(0, stats.calls.sum(), "never handed to ONNX Runtime");

            List<Score> mixed = detector.scoreAll(List.of(Harness.vector(1, 2, 3), Harness.vector(Double.NaN, 2, 3),
                    Harness.vector(4, 5, 6)));
            assertNotNull(mixed.get(0));
            assertNull(mixed.get(1));
            assertEquals(TestModels.expected(WEIGHTS, 4, 5, 6), mixed.get(2).value(), 1e-6);
            assertEquals(1, stats.calls.sum(), "the good rows of the batch in one call");
            assertEquals(4, h.status("flowlr", "1.0.0").errors());
        }
    }

    @Test
    void answersNothingForVectorsOfAnotherSchema() throws Exception {
        try (Harness h = new Harness(folder)) {
            h.start(h.bundle(Harness.descriptor("flowlr", "1.0.0", ONNX).build(), ONNX));
            FeatureSchema dns = new FeatureSchema("dns:canonical.1", 1, Harness.FEATURES);
            FeatureSchema older = new FeatureSchema("flow:canonical.1", 1, Harness.FEATURES);

            assertNull(h.detectors.get("flowlr").score(new FeatureVector(dns, "h", 0, new double[] {1, 2, 3}, List.of())));
            assertNull(h.detectors.get("flowlr").score(new FeatureVector(older, "h", 0, new double[] {1, 2, 3}, List.of())));
            VersionStats stats = h.catalog.entries().get(0).version().stats;
            assertEquals(2, stats.otherSchema.sum());
            assertEquals(0, stats.errorsTotal(), "another schema is not an error");
        }
    }

    @Test
    void countsVectorsOfTheSchemaThatLackAFeature() throws Exception {
        try (Harness h = new Harness(folder)) {
            h.start(h.bundle(Harness.descriptor("flowlr", "1.0.0", ONNX).build(), ONNX));
            FeatureSchema partial = new FeatureSchema(Harness.SCHEMA, 1, List.of("bytes", "packets"));
            assertNull(h.detectors.get("flowlr").score(new FeatureVector(partial, "h", 0, new double[] {1, 2}, List.of())));
            assertEquals(1, h.catalog.entries().get(0).version().stats.errors.get(ScoringError.MISSING_FEATURE).sum());
        }
    }
}
