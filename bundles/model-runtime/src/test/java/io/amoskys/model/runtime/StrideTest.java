package io.amoskys.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.Detector;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import io.amoskys.model.format.ModelDescriptor;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * windowStride: every vector enters its entity's window, but a sequence model scores the window
 * only on the entity's first vector and then every stride vectors (default: the model's window
 * W, so the scored windows tile the stream); skipped vectors get no score and are counted apart
 * from errors; evaluation and shadows see the windows they must.
 */
class StrideTest {
    static final int W = 8;
    /** Position p of the window, feature j: its own weight, so every position of a window counts differently. */
    static final float[] WEIGHTS = new float[W * 3];
    static final byte[] ONNX;

    static {
        for (int p = 0; p < W; p++) {
            WEIGHTS[p * 3] = 0.002f * (p + 1);
            WEIGHTS[p * 3 + 1] = -0.01f * (p + 1);
            WEIGHTS[p * 3 + 2] = 0.03f * (W - p);
        }
        ONNX = TestModels.windowed(W, WEIGHTS);
    }

    @TempDir
    Path folder;

    static ModelDescriptor sequence(String version) {
        return Harness.descriptor("seq", version, ONNX).window(W).build();
    }

    /** The entity's n-th vector (from 1). */
    static FeatureVector of(String entity, int n) {
        return new FeatureVector(Harness.FLOW, entity, n, row(entity, n), List.of(entity + "-" + n));
    }

    private static double[] row(String entity, int n) {
        return new double[] {7, n + entity.length(), n % 5, n / 10.0};
    }

    /** Two entities' vectors interleaved, {@code each} of each: a1 b1 a2 b2 ... */
    static List<FeatureVector> twoEntities(int each) {
        List<FeatureVector> stream = new ArrayList<>();
        for (int n = 1; n <= each; n++) {
            stream.add(of("host:a", n));
            stream.add(of("host:bb", n));
        }
        return stream;
    }

    /** Scores the stream in lists of 7, so that windows come due across scoreAll calls too. */
    static List<Score> scoreInBatches(Detector detector, List<FeatureVector> stream) {
        List<Score> scores = new ArrayList<>();
        for (int from = 0; from < stream.size(); from += 7) {
            scores.addAll(detector.scoreAll(stream.subList(from, Math.min(stream.size(), from + 7))));
        }
        return scores;
    }

    /** The model's score of the entity's window ending at its n-th vector, computed in Java (padded with its first). */
    static double expected(String entity, int n) {
        double[] flat = new double[W * 3];
        for (int p = 0; p < W; p++) {
            double[] r = row(entity, Math.max(1, n - W + 1 + p));
            System.arraycopy(r, 1, flat, p * 3, 3);
        }
        return TestModels.expected(WEIGHTS, flat);
    }

    static ModelVersion version(Harness h, String version) {
        return h.catalog.entries().stream().map(ModelCatalog.Entry::version).filter(v -> v.name().equals("seq") && v.version().equals(version))
                .findFirst().orElseThrow();
    }

    @Test
    void theDefaultStrideIsTheWindowAndScoresAnEntitysFirstNinthAndSeventeenthVectorsOnly() throws Exception {
        List<FeatureVector> stream = twoEntities(20);
        List<Score> everyWindow;
        try (Harness h = new Harness(folder.resolve("stride1"), RuntimeSettingsForTests.everyWindow(folder.resolve("stride1")))) {
            h.start(h.bundle(sequence("1.0.0"), ONNX));
            everyWindow = scoreInBatches(h.detectors.get("seq"), stream);
        }
        try (Harness h = new Harness(folder.resolve("default"))) {
            h.start(h.bundle(sequence("1.0.0"), ONNX));
            List<Score> strided = scoreInBatches(h.detectors.get("seq"), stream);

            Set<Integer> due = Set.of(1, 9, 17);
            for (int i = 0; i < stream.size(); i++) {
                int n = i / 2 + 1;
                String entity = stream.get(i).entityId();
                assertNotNull(everyWindow.get(i), "stride 1 scores " + entity + " #" + n);
                if (due.contains(n)) {
                    Score s = strided.get(i);
                    assertNotNull(s, entity + " #" + n + " is due");
                    assertEquals(everyWindow.get(i).value(), s.value(), 0.0, "the same window as stride 1's at " + entity + " #" + n);
                    assertEquals(expected(entity, n), s.value(), 1e-6, "the window of the 8 vectors ending at #" + n);
                    assertEquals(List.of(entity + "-" + n), s.eventIds());
                } else {
                    assertNull(strided.get(i), entity + " #" + n + " is not due");
                }
            }
            ModelVersion v = version(h, "1.0.0");
            assertEquals(W, v.stride);
            assertEquals(6, v.stats.rows.sum(), "three windows of each entity");
            assertEquals(34, v.stats.skipped.sum());
            assertEquals(0, v.stats.errorsTotal(), "a vector not due is not an error");
            assertEquals(W, v.windows.held("host:a"), "skipped vectors entered the window all the same");
        }
    }

    @Test
    void strideOneScoresEveryVectorsWindow() throws Exception {
        try (Harness h = new Harness(folder, RuntimeSettingsForTests.everyWindow(folder))) {
            h.start(h.bundle(sequence("1.0.0"), ONNX));
            List<Score> scores = scoreInBatches(h.detectors.get("seq"), twoEntities(12));
            for (int i = 0; i < scores.size(); i++) {
                assertEquals(expected(i % 2 == 0 ? "host:a" : "host:bb", i / 2 + 1), scores.get(i).value(), 1e-6, "vector " + i);
            }
            ModelVersion v = version(h, "1.0.0");
            assertEquals(1, v.stride);
            assertEquals(24, v.stats.rows.sum());
            assertEquals(0, v.stats.skipped.sum());
        }
    }

    @Test
    void theMetricsCountSkippedVectorsApartFromErrorsAndRefusals() throws Exception {
        try (Harness h = new Harness(folder)) {
            h.start(h.bundle(sequence("1.0.0"), ONNX));
            Detector d = h.detectors.get("seq");
            for (int n = 1; n <= 10; n++) {
                d.score(of("host:a", n)); // 1 and 9 scored, 8 skipped
            }
            assertNull(d.score(new FeatureVector(Harness.FLOW, "host:a", 11, new double[] {7, Double.NaN, 1, 1}, List.of())));

            StringBuilder out = new StringBuilder();
            h.metrics.writePrometheus(out);
            String text = out.toString();
            String labels = "{model=\"seq\",version=\"1.0.0\"}";
            assertTrue(text.contains("amoskys_model_rows_total" + labels + " 2\n"), text);
            assertTrue(text.contains("amoskys_model_window_skipped_total" + labels + " 8\n"), text);
            assertTrue(text.contains("amoskys_model_window_stride" + labels + " 8\n"), text);
            assertTrue(text.contains("amoskys_model_errors_total{model=\"seq\",version=\"1.0.0\",reason=\"non-finite\"} 1\n"), text);
            for (ScoringError other : List.of(ScoringError.MISSING_FEATURE, ScoringError.ORT_ERROR, ScoringError.BAD_OUTPUT)) {
                assertTrue(text.contains("reason=\"" + other.code() + "\"} 0\n"), other + ": " + text);
            }
            assertFalse(text.contains("amoskys_model_refused{"), text);
            assertEquals(1, h.status("seq", "1.0.0").errors(), "amoskys:models counts the NaN vector, not the skipped ones");
            assertEquals(2, h.status("seq", "1.0.0").rows());
        }
    }

    @Test
    void aStrideBeyondTheWindowIsTheWindowAndAModelOfSingleVectorsScoresEveryVector() throws Exception {
        try (Harness h = new Harness(folder, RuntimeSettingsForTests.settings(folder, 1024, 4096, 20))) {
            h.start(h.bundle(sequence("1.0.0"), ONNX));
            byte[] single = TestModels.logistic(0.001f, 0.1f, -0.5f);
            h.start(h.bundle(Harness.descriptor("lr", "1.0.0", single).build(), single));
            assertEquals(W, version(h, "1.0.0").stride, "20 > W: every vector must still be in a scored window");
            List<Score> scores = h.detectors.get("lr").scoreAll(List.of(Harness.vector(1, 2, 3), Harness.vector(4, 5, 6)));
            assertNotNull(scores.get(0));
            assertNotNull(scores.get(1), "the stride is for windows only");
        }
    }

    @Test
    void nonsenseStridesAreRefusedNamingTheSetting() {
        for (int bad : new int[] {-1, 257, Integer.MIN_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RuntimeSettings.of(config(Map.of("windowStride", bad))));
            assertTrue(e.getMessage().contains("io.amoskys.model.runtime: windowStride is " + bad), e.getMessage());
            assertTrue(e.getMessage().contains("0 (each sequence model's own window W"), e.getMessage());
        }
        assertEquals(0, RuntimeSettings.of(config(Map.of())).windowStride(), "absent: the model's window");
        assertEquals(256, RuntimeSettings.of(config(Map.of("windowStride", 256))).windowStride());
        assertEquals(8, RuntimeSettings.of(config(Map.of())).strideFor(8));
        assertEquals(1, RuntimeSettings.of(config(Map.of("windowStride", 1))).strideFor(8));
        assertEquals(4, RuntimeSettings.of(config(Map.of("windowStride", 4))).strideFor(8));
    }

    @Test
    void evaluationScoresEveryWindowWhateverTheStride() throws Exception {
        try (Harness h = new Harness(folder)) {
            h.start(h.bundle(sequence("1.0.0"), ONNX));
            Detector evaluation = h.catalog.everyWindow("seq").orElseThrow();
            List<Score> scores = scoreInBatches(evaluation, twoEntities(10));
            for (int i = 0; i < scores.size(); i++) {
                assertEquals(expected(i % 2 == 0 ? "host:a" : "host:bb", i / 2 + 1), scores.get(i).value(), 1e-6, "vector " + i);
            }
            assertEquals(0, version(h, "1.0.0").stats.skipped.sum());
            assertTrue(h.catalog.everyWindow("nothing").isEmpty());
            // The live detector goes on from there: a window every 8 vectors since the last scored one.
            Detector live = h.detectors.get("seq");
            for (int n = 11; n <= 17; n++) {
                assertNull(live.score(of("host:a", n)), "#" + n);
            }
            assertEquals(expected("host:a", 18), live.score(of("host:a", 18)).value(), 1e-6);
        }
    }

    @Test
    void aShadowScoresTheWindowsItsActiveVersionScored() throws Exception {
        try (Harness h = new Harness(folder)) {
            h.start(h.bundle(sequence("1.0.0"), ONNX));
            Detector d = h.detectors.get("seq");
            for (int n = 1; n <= 5; n++) {
                d.score(of("host:a", n));
            }
            h.start(h.bundle(sequence("1.1.0"), ONNX));
            assertEquals("shadow", h.status("seq", "1.1.0").state());
            List<FeatureVector> later = new ArrayList<>();
            for (int n = 6; n <= 20; n++) {
                later.add(of("host:a", n));
            }
            List<Score> scores = d.scoreAll(later);
            for (int k = 0; k < later.size(); k++) {
                int n = k + 6;
                assertEquals(n == 9 || n == 17, scores.get(k) != null, "#" + n);
            }
            assertEquals(2, h.catalog.compare("seq").get(0).rows(), "both scored #9 and #17, though the shadow met host:a at #6");
            assertEquals(13, version(h, "1.1.0").stats.skipped.sum());
            assertEquals(2, version(h, "1.1.0").stats.rows.sum());
        }
    }

    /** The runtime's configuration as ConfigAdmin would hand it over: the given properties, defaults for the rest. */
    private RuntimeConfig config(Map<String, Object> properties) {
        return (RuntimeConfig) Proxy.newProxyInstance(RuntimeConfig.class.getClassLoader(), new Class<?>[] {RuntimeConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "trustDir", "platformKey", "stateFile" -> folder.resolve(method.getName()).toString();
                    default -> properties.getOrDefault(method.getName(), method.getDefaultValue());
                });
    }
}
