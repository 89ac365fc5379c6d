package io.amoskys.feature.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Exports#vectors}: the vectors a file export writes, handed over in memory instead, from a capture or the log. */
class VectorsTest {
    private static final Path DATA = Path.of(System.getProperty("amoskys.pcapData", "../../../shared/data/pcap"));
    private static final Path CAPTURE = DATA.resolve("ppa_dns.cap");

    @TempDir
    Path dir;

    @Test
    void aCapturesVectorsAreTheRowsItsExportWrites() throws Exception {
        List<FeatureVector> vectors = new ArrayList<>();
        String summary = new Exports(Stages.all(), null).vectors(Stages.flowAgent(), CAPTURE, "flow", vectors::add);
        assertTrue(summary.contains(vectors.size() + " flow vectors"), summary);
        assertTrue(vectors.size() >= 10, summary);

        Path csv = dir.resolve("v.csv");
        new Exports(Stages.all(), null).fromCapture(Stages.flowAgent(), CAPTURE, csv, "flow", "");
        List<String> lines = Files.readAllLines(csv);
        assertEquals(vectors.size(), lines.size() - 2);
        for (int i = 0; i < vectors.size(); i++) {
            String[] cells = lines.get(i + 2).split(",", -1);
            double[] values = vectors.get(i).toArray();
            assertEquals(vectors.get(i).entityId(), cells[0]);
            for (int c = 0; c < values.length; c++) {
                String cell = cells[4 + c];
                assertEquals(cell.isEmpty() ? Double.NaN : Double.parseDouble(cell), values[c], "row " + i + " column " + c);
            }
        }
    }

    @Test
    void theLogsEventsGiveTheSameVectorsAsTheCaptureTheyCameFrom() throws Exception {
        List<TelemetryEvent> events = new ArrayList<>();
        Stages.flowAgent().decode(CAPTURE, events::add);
        List<FeatureVector> fromCapture = new ArrayList<>();
        new Exports(Stages.all(), null).vectors(Stages.flowAgent(), CAPTURE, "flow", fromCapture::add);

        List<FeatureVector> fromLog = new ArrayList<>();
        String summary = new Exports(Stages.all(), null).vectors(new ListLog(events), Instant.EPOCH, Instant.now(), "flow", fromLog::add);
        assertTrue(summary.startsWith("log offsets 0 to " + (events.size() - 1) + ": "), summary);
        assertEquals(fromCapture.size(), fromLog.size());
        for (int i = 0; i < fromLog.size(); i++) {
            assertEquals(fromCapture.get(i).schema(), fromLog.get(i).schema());
            assertArrayEquals(fromCapture.get(i).toArray(), fromLog.get(i).toArray());
        }
    }
}
