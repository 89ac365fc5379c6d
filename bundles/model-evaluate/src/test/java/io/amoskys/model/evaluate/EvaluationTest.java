package io.amoskys.model.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.Detector;
import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EvaluationTest {
    private static final FeatureSchema SCHEMA = new FeatureSchema("test", 1, List.of("x"));
    private static final LabelledCapture BENIGN = new LabelledCapture(Path.of("/data/office.pcap"), "benign");
    private static final LabelledCapture SCAN = new LabelledCapture(Path.of("/data/scan.pcap"), "scan");

    /** Scores a vector by its value x, answers nothing for a negative x; records the size of each call. */
    private static final class ValueDetector implements Detector {
        final List<Integer> calls = new ArrayList<>();
        String version = "2.0.0";

        @Override
        public Score score(FeatureVector vector) {
            return vector.get(0) < 0 ? null : Score.builder().detector("m").modelVersion(version).about(vector).value(vector.get(0)).build();
        }

        @Override
        public List<Score> scoreAll(List<FeatureVector> vectors) {
            calls.add(vectors.size());
            return Detector.super.scoreAll(vectors);
        }
    }

    private static Evaluation.VectorSource values(Map<Path, double[]> values) {
        return (capture, sink) -> {
            for (double x : values.get(capture)) {
                sink.accept(new FeatureVector(SCHEMA, "host", 0, new double[] {x}, List.of()));
            }
            return "";
        };
    }

    @Test
    void scoresEveryCaptureInBatchesAndTakesTheAnsweringVersionsThreshold() throws Exception {
        ValueDetector detector = new ValueDetector();
        double[] many = IntStream.range(0, 600).mapToDouble(i -> 0.5 + i / 2000.0).toArray();
        Evaluation evaluation = new Evaluation("m", detector, values(Map.of(BENIGN.file(), new double[] {0.1, -1, 0.3}, SCAN.file(), many)));
        EvaluationReport report = evaluation.run(List.of(BENIGN, SCAN), "flow", "/data",
                version -> version.equals("2.0.0") ? OptionalDouble.of(0.2) : OptionalDouble.empty());
        assertEquals(List.of(3, 256, 256, 88), detector.calls);
        assertEquals("2.0.0", report.version());
        assertEquals(0.2, report.threshold());
        assertEquals(1, report.unscored());
        assertEquals(1, report.captures().get(0).unscored());
        assertEquals(2, report.benignVectors());
        assertEquals(600, report.attackVectors());
        assertEquals(1.0, report.auc());
        assertEquals(new EvaluationReport.Verdicts(600, 1, 0, 1), report.atThreshold());
    }

    @Test
    void aVersionSwitchMidwayIsReportedNotMixed() {
        ValueDetector detector = new ValueDetector();
        Evaluation.VectorSource source = (capture, sink) -> {
            detector.version = capture.equals(BENIGN.file()) ? "2.0.0" : "2.0.1"; // promoted between the two captures
            sink.accept(new FeatureVector(SCHEMA, "host", 0, new double[] {0.5}, List.of()));
            return "";
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new Evaluation("m", detector, source).run(List.of(BENIGN, SCAN), "flow", "/data", v -> OptionalDouble.of(0.5)));
        assertTrue(e.getMessage().contains("[2.0.0, 2.0.1]"), e.getMessage());
    }

    @Test
    void noScoreAtAllOrNoKnownThresholdIsAnError() {
        ValueDetector detector = new ValueDetector();
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> new Evaluation("m", detector,
                values(Map.of(BENIGN.file(), new double[] {-1, -2}))).run(List.of(BENIGN), "flow", "/data", v -> OptionalDouble.of(0.5)));
        assertTrue(none.getMessage().startsWith("m scored none of the 2 flow vectors of /data"), none.getMessage());
        IllegalStateException unknown = assertThrows(IllegalStateException.class, () -> new Evaluation("m", detector,
                values(Map.of(BENIGN.file(), new double[] {0.5}))).run(List.of(BENIGN), "flow", "/data", v -> OptionalDouble.empty()));
        assertTrue(unknown.getMessage().contains("no threshold known for m 2.0.0"), unknown.getMessage());
    }
}
