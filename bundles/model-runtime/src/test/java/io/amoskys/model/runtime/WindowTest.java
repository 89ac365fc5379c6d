package io.amoskys.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.Detector;
import io.amoskys.api.event.Contribution;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import io.amoskys.model.format.FeatureStats;
import io.amoskys.model.format.ModelDescriptor;
import io.amoskys.model.format.RefusalReason;
import io.amoskys.model.runtime.admin.ModelStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sequence models (descriptor {@code window} W > 1): each vector is scored with the window of its
 * entity's last W vectors ending at it, padded with the entity's oldest vector until it has W;
 * the rings are bounded (least recently scored entity evicted, counted); a vector that cannot be
 * scored stays out of the window; a model whose input is not [N, W, F] is refused at load. With
 * windowStride 1, so that every vector's window is scored ({@link StrideTest}: the default stride).
 */
class WindowTest {
    static final int W = 3;
    /** Position p of the window, feature j: weight (p + 1) * 10^-j-ish, so positions and features differ. */
    static final float[] WEIGHTS = {
        0.001f, 0.01f, -0.1f, // oldest
        0.002f, 0.03f, -0.2f,
        0.004f, 0.05f, -0.3f, // the scored vector
    };
    static final byte[] ONNX = TestModels.windowed(W, WEIGHTS);

    @TempDir
    Path folder;

    static ModelDescriptor.Builder sequence() {
        return Harness.descriptor("seq", "1.0.0", ONNX).window(W);
    }

    static FeatureVector of(String entity, double bytes, double packets, double duration) {
        return new FeatureVector(Harness.FLOW, entity, 0, new double[] {7, bytes, packets, duration}, List.of("e-" + bytes));
    }

    /** What the model gives the window, its rows oldest first (each {bytes, packets, duration}). */
    static double expected(double[]... window) {
        double[] flat = new double[WEIGHTS.length];
        for (int p = 0; p < window.length; p++) {
            System.arraycopy(window[p], 0, flat, p * 3, 3);
        }
        return TestModels.expected(WEIGHTS, flat);
    }

    @Test
    void scoresEachVectorWithItsEntitysWindowPaddedWithTheOldestVector() throws Exception {
        try (Harness h = new Harness(folder, RuntimeSettingsForTests.everyWindow(folder))) {
            h.start(h.bundle(sequence().build(), ONNX));
            Detector d = h.detectors.get("seq");
            double[] a1 = {100, 1, 0.5};
            double[] a2 = {200, 2, 0.25};
            double[] a3 = {300, 3, 0.125};
            double[] a4 = {400, 4, 1};
            double[] b1 = {999, 9, 2};

            assertEquals(expected(a1, a1, a1), d.score(of("host:a", 100, 1, 0.5)).value(), 1e-6, "one vector: padded twice");
            assertEquals(expected(b1, b1, b1), d.score(of("host:b", 999, 9, 2)).value(), 1e-6, "another entity has its own");
            assertEquals(expected(a1, a1, a2), d.score(of("host:a", 200, 2, 0.25)).value(), 1e-6, "two: padded once");
            assertEquals(expected(a1, a2, a3), d.score(of("host:a", 300, 3, 0.125)).value(), 1e-6, "full");
            Score fourth = d.score(of("host:a", 400, 4, 1));
            assertEquals(expected(a2, a3, a4), fourth.value(), 1e-6, "the ring wraps: the oldest goes");
            assertEquals("host:a", fourth.entityId());
            assertEquals(List.of("e-400.0"), fourth.eventIds(), "the score is about the vector that ends the window");
            ModelVersion version = h.catalog.entries().get(0).version();
            assertEquals(2, version.windows.entities());
            assertEquals(3, version.windows.held("host:a"));
            assertEquals(1, version.windows.held("host:b"));
        }
    }

    @Test
    void aVersionMadeActiveAgainGoesOnWithTheWindowsOfTheOneItReplaces() throws Exception {
        try (Harness h = new Harness(folder, RuntimeSettingsForTests.everyWindow(folder))) {
            h.start(h.bundle(sequence().build(), ONNX));
            h.start(h.bundle(Harness.descriptor("seq", "2.0.0", ONNX).window(W).build(), ONNX));
            Detector d = h.detectors.get("seq");
            double[][] a = new double[6][];
            for (int i = 1; i <= 5; i++) {
                a[i] = new double[] {i * 100, i, 1.0 / i};
            }
            d.score(of("host:a", 100, 1, 1.0));
            d.score(of("host:a", 200, 2, 0.5));
            h.catalog.promote("seq", "2.0.0"); // the shadow read both: it goes on from them
            assertEquals(expected(a[1], a[2], a[3]), d.score(of("host:a", 300, 3, 1.0 / 3)).value(), 1e-6);
            assertEquals(expected(a[2], a[3], a[4]), d.score(of("host:a", 400, 4, 0.25)).value(), 1e-6);
            h.catalog.rollback("seq"); // 1.0.0 stood by and read neither a3 nor a4
            Score fifth = d.score(of("host:a", 500, 5, 0.2));
            assertEquals("1.0.0", fifth.modelVersion());
            assertEquals(expected(a[3], a[4], a[5]), fifth.value(), 1e-6, "the window as the replaced version held it, not a1 a2 a5");
        }
    }

    @Test
    void aBatchIsOneCallAndAVectorsWindowEndsAtItEvenWithinTheBatch() throws Exception {
        try (Harness h = new Harness(folder, RuntimeSettingsForTests.everyWindow(folder))) {
            h.start(h.bundle(sequence().build(), ONNX));
            List<FeatureVector> batch = new ArrayList<>();
            for (int i = 1; i <= 6; i++) {
                batch.add(of(i % 2 == 0 ? "host:even" : "host:odd", i, i * 10, i / 10.0));
            }
            List<Score> scores = h.detectors.get("seq").scoreAll(batch);

            double[][] rows = new double[7][];
            for (int i = 1; i <= 6; i++) {
                rows[i] = new double[] {i, i * 10, i / 10.0};
            }
            assertEquals(expected(rows[1], rows[1], rows[1]), scores.get(0).value(), 1e-6);
            assertEquals(expected(rows[2], rows[2], rows[2]), scores.get(1).value(), 1e-6);
            assertEquals(expected(rows[1], rows[1], rows[3]), scores.get(2).value(), 1e-6);
            assertEquals(expected(rows[2], rows[2], rows[4]), scores.get(3).value(), 1e-6);
            assertEquals(expected(rows[1], rows[3], rows[5]), scores.get(4).value(), 1e-6);
            assertEquals(expected(rows[2], rows[4], rows[6]), scores.get(5).value(), 1e-6);
            VersionStats stats = h.catalog.entries().get(0).version().stats;
            assertEquals(1, stats.calls.sum(), "six windows, one ONNX Runtime call");
            assertEquals(6, stats.rows.sum());
        }
    }

    @Test
    void largerBatchesAreSplitAtMaxBatchWindows() throws Exception {
        try (Harness h = new Harness(folder, RuntimeSettingsForTests.settings(folder, 4, 4096, 1))) {
            h.start(h.bundle(sequence().build(), ONNX));
            List<FeatureVector> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                batch.add(of("host:a", i, i, i));
            }
            List<Score> scores = h.detectors.get("seq").scoreAll(batch);
            assertEquals(expected(new double[] {7, 7, 7}, new double[] {8, 8, 8}, new double[] {9, 9, 9}), scores.get(9).value(), 1e-6);
            assertEquals(3, h.catalog.entries().get(0).version().stats.calls.sum());
        }
    }

    @Test
    void aNonFiniteVectorIsRefusedWithAClearErrorAndStaysOutOfTheWindow() throws Exception {
        try (Harness h = new Harness(folder, RuntimeSettingsForTests.everyWindow(folder))) {
            h.start(h.bundle(sequence().build(), ONNX));
            Detector d = h.detectors.get("seq");
            double[] a1 = {100, 1, 0.5};
            double[] a3 = {300, 3, 0.125};

            List<Score> scores = d.scoreAll(List.of(of("host:a", 100, 1, 0.5), of("host:a", Double.NaN, 2, 0.25),
                    of("host:a", 300, 3, 0.125), of("host:c", 1, Double.POSITIVE_INFINITY, 1)));
            assertNotNull(scores.get(0));
            assertNull(scores.get(1), "the NaN vector gets no score");
            assertEquals(expected(a1, a1, a3), scores.get(2).value(), 1e-6, "nor a place in its entity's window");
            assertNull(scores.get(3));
            ModelVersion version = h.catalog.entries().get(0).version();
            assertEquals(2, version.stats.errors.get(ScoringError.NON_FINITE).sum());
            assertEquals(1, version.stats.calls.sum(), "the good windows in one call, the bad vectors never handed over");
            assertEquals(2, version.windows.held("host:a"));
            assertEquals(0, version.windows.held("host:c"), "an entity whose only vector was refused holds nothing");
            assertEquals(2, h.status("seq", "1.0.0").errors());
        }
    }

    @Test
    void theEntitiesAreBoundedAndTheLeastRecentlyScoredIsEvictedAndCounted() throws Exception {
        RuntimeSettings two = RuntimeSettingsForTests.settings(folder, 1024, 2, 1);
        try (Harness h = new Harness(folder, two)) {
            h.start(h.bundle(sequence().build(), ONNX));
            Detector d = h.detectors.get("seq");
            d.score(of("host:a", 1, 1, 1));
            d.score(of("host:b", 2, 2, 2));
            d.score(of("host:a", 3, 3, 3)); // a is now the most recent
            d.score(of("host:c", 4, 4, 4)); // evicts b

            ModelVersion version = h.catalog.entries().get(0).version();
            assertEquals(2, version.windows.entities());
            assertEquals(1, version.windows.evictions.sum());
            assertEquals(2, version.windows.held("host:a"));
            assertEquals(0, version.windows.held("host:b"));
            double[] b5 = {5, 5, 5};
            assertEquals(expected(b5, b5, b5), d.score(of("host:b", 5, 5, 5)).value(), 1e-6, "an evicted entity starts again");
            assertEquals(2, version.windows.evictions.sum(), "b came back and pushed a out");

            StringBuilder metrics = new StringBuilder();
            h.metrics.writePrometheus(metrics);
            assertTrue(metrics.toString().contains("amoskys_model_window_entities{model=\"seq\",version=\"1.0.0\"} 2\n"), metrics.toString());
            assertTrue(metrics.toString().contains("amoskys_model_window_evictions_total{model=\"seq\",version=\"1.0.0\"} 2\n"),
                    metrics.toString());
        }
    }

    @Test
    void aFloodOfEntitiesSeenOnceDoesNotThrowOutTheWindowsOfThoseThatTalk() throws Exception {
        RuntimeSettings eight = RuntimeSettingsForTests.settings(folder, 1024, 8, 1);
        try (Harness h = new Harness(folder, eight)) {
            h.start(h.bundle(sequence().build(), ONNX));
            Detector d = h.detectors.get("seq");
            d.score(of("host:a", 1, 1, 1));
            d.score(of("host:a", 2, 2, 2));
            d.score(of("host:a", 3, 3, 3)); // a whole window (W = 3): established
            for (int i = 0; i < 100; i++) { // two flows each from a hundred spoofed sources
                d.score(of("host:spoofed-" + i, 9, 9, 9));
                d.score(of("host:spoofed-" + i, 8, 8, 8));
            }
            ModelVersion version = h.catalog.entries().get(0).version();
            assertEquals(8, version.windows.entities());
            assertEquals(93, version.windows.evictions.sum(), "101 entities in 8 rings: a and the last seven spoofed stay");
            double[] a2 = {2, 2, 2};
            double[] a3 = {3, 3, 3};
            double[] a4 = {4, 4, 4};
            assertEquals(expected(a2, a3, a4), d.score(of("host:a", 4, 4, 4)).value(), 1e-6, "a's window kept its history");
        }
    }

    @Test
    void theEstablishedTakeThreeQuartersAndTheLeastRecentlyScoredOfThemGoesBackOnProbation() throws Exception {
        RuntimeSettings four = RuntimeSettingsForTests.settings(folder, 1024, 4, 1);
        try (Harness h = new Harness(folder, four)) {
            h.start(h.bundle(sequence().build(), ONNX));
            Detector d = h.detectors.get("seq");
            for (String entity : new String[] {"host:a", "host:b", "host:c", "host:d"}) {
                for (int i = 1; i <= 3; i++) {
                    d.score(of(entity, i, i, i));
                }
            }
            ModelVersion version = h.catalog.entries().get(0).version();
            assertEquals(4, version.windows.entities(), "d's window pushed a, the least recently scored, back on probation");
            assertEquals(0, version.windows.evictions.sum());
            d.score(of("host:e", 1, 1, 1));
            assertEquals(1, version.windows.evictions.sum());
            assertEquals(0, version.windows.held("host:a"), "a, back on probation, went for e");
            assertEquals(3, version.windows.held("host:b"), "b is still established");
        }
    }

    @Test
    void theEvidenceIsTheScoredVectorsFeatures() throws Exception {
        FeatureStats stats = new FeatureStats(new double[] {1000, 10, 0.5}, new double[] {100, 1, 0.1});
        try (Harness h = new Harness(folder, RuntimeSettingsForTests.everyWindow(folder))) {
            h.start(h.bundle(sequence().training(Map.of("featureStats", stats.toJson())).build(), ONNX));
            Detector d = h.detectors.get("seq");
            d.score(of("host:a", 5000, 10, 0.5));
            List<Contribution> top = d.score(of("host:a", 1000, 15, 0.9)).topContributions();
            assertEquals(List.of("packets", "duration"), top.stream().map(Contribution::feature).toList());
            assertEquals(5.0, top.get(0).weight(), 1e-4);
        }
    }

    @Test
    void refusesAtLoadAModelWhoseInputIsNotAWindowOfTheDescriptorsShape() throws Exception {
        try (Harness h = new Harness(folder, RuntimeSettingsForTests.everyWindow(folder))) {
            byte[] flat = TestModels.logistic(0.1f, 0.2f, 0.3f);
            h.start(h.bundle(Harness.descriptor("rank2", "1.0.0", flat).window(W).build(), flat));
            ModelStatus rank2 = h.status("rank2", "1.0.0");
            assertEquals("refused", rank2.state());
            assertEquals(RefusalReason.WRONG_SHAPE.code(), rank2.reason());
            assertTrue(rank2.detail().contains("rank 2") && rank2.detail().contains("needs [N, 3, 3] (rank 3)"), rank2.detail());

            h.start(h.bundle(Harness.descriptor("rank3", "1.0.0", ONNX).build(), ONNX));
            ModelStatus rank3 = h.status("rank3", "1.0.0");
            assertEquals("refused", rank3.state());
            assertEquals(RefusalReason.WRONG_SHAPE.code(), rank3.reason());
            assertTrue(rank3.detail().contains("rank 3") && rank3.detail().contains("need [N, 3] (rank 2)"), rank3.detail());

            h.start(h.bundle(Harness.descriptor("longer", "1.0.0", ONNX).window(4).build(), ONNX));
            ModelStatus longer = h.status("longer", "1.0.0");
            assertEquals("refused", longer.state());
            assertEquals(RefusalReason.WRONG_SHAPE.code(), longer.reason());
            assertTrue(longer.detail().contains("[N, 4, 3]"), longer.detail());
            assertNull(h.detectors.get("rank2"));
        }
    }
}
