package io.amoskys.model.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.Detector;
import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JunctionFitTest {
    private static final FeatureSchema SCHEMA = new FeatureSchema("test", 1, List.of("signal", "noise"));
    private static final LabelledCapture BENIGN = new LabelledCapture(Path.of("/data/office.pcap"), "benign");
    private static final LabelledCapture SCAN = new LabelledCapture(Path.of("/data/scan.pcap"), "scan");

    /** Scores a vector by one of its columns; says nothing about vectors whose column is negative. */
    private record ColumnDetector(String name, int column) implements Detector {
        @Override
        public Score score(FeatureVector vector) {
            double x = vector.get(column);
            return x < 0 ? null : Score.builder().detector(name).modelVersion("1.0.0").about(vector).value(x).build();
        }
    }

    @Test
    void fitsAWeightPerDetectorOnItsMarginAndReportsTheFusedAuc() throws Exception {
        Random random = new Random(3);
        Map<Path, double[][]> rows = new LinkedHashMap<>();
        rows.put(BENIGN.file(), random.doubles(3000).mapToObj(u -> new double[] {0.3 * u, random.nextDouble()}).toArray(double[][]::new));
        rows.put(SCAN.file(), random.doubles(3000).mapToObj(u -> new double[] {0.2 + 0.8 * u, random.nextDouble()}).toArray(double[][]::new));
        Evaluation.VectorSource source = (capture, sink) -> {
            for (double[] r : rows.get(capture)) {
                sink.accept(new FeatureVector(SCHEMA, "host", 0, r, List.of()));
            }
            return "";
        };
        Map<String, Detector> detectors = new LinkedHashMap<>();
        detectors.put("signal", new ColumnDetector("signal", 0));
        detectors.put("noise", new ColumnDetector("noise", 1));
        JunctionFit.Result result = new JunctionFit(detectors, name -> name.equals("signal") ? 0.25 : 0.5, source).run(List.of(BENIGN, SCAN));

        assertEquals(6000, result.vectors());
        assertEquals(3000, result.attackRows());
        assertTrue(result.fit().weights().get("signal") > 10, "the separating detector weighs most: " + result);
        assertTrue(Math.abs(result.fit().weights().get("noise")) < 1, "noise weighs next to nothing: " + result);
        assertTrue(result.aucAlone().get("signal") > 0.9 && Math.abs(result.aucAlone().get("noise") - 0.5) < 0.05, result.toString());
        assertTrue(result.aucFused() >= result.aucAlone().get("signal") - 0.005, "fusing loses nothing: " + result);
    }
}
