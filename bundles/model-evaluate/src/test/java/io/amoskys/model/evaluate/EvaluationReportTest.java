package io.amoskys.model.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.model.evaluate.EvaluationReport.CaptureRow;
import io.amoskys.model.evaluate.EvaluationReport.CategoryRow;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationReportTest {
    static final List<CaptureScores> SCORED = List.of(
            capture("office.pcap", "benign", 0.2, 0.4, 0.6),
            capture("sensors.pcap", "benign_iot", 0.3),
            capture("syn.pcap", "scan", 0.7, 0.4),
            capture("empty.pcap", "scan"),
            capture("ack.pcap", "scan", 0.9),
            capture("flood.pcap", "dos", 0.1, 0.2));

    static CaptureScores capture(String file, String category, double... scores) {
        return new CaptureScores(new LabelledCapture(Path.of("/data", file), category), scores, 0);
    }

    @Test
    void aucOverallAndPerCategoryAgainstAllBenignVectors() {
        EvaluationReport r = EvaluationReport.of("iforest", "1.0.0", "flow", "/data", 0.6, SCORED);
        assertEquals(4, r.benignVectors()); // 0.2 0.3 0.4 0.6
        assertEquals(5, r.attackVectors());
        // scan 0.7 0.4 0.9 against 0.2 0.3 0.4 0.6: 4 + (2 + 0.5) + 4 = 10.5 of 12
        // dos 0.1 0.2 against them: 0 + 0.5 = 0.5 of 8
        assertEquals(List.of(new CategoryRow("dos", 1, 2, 0.5 / 8), new CategoryRow("scan", 3, 3, 10.5 / 12)), r.categories());
        assertEquals(11.0 / 20, r.auc());
    }

    @Test
    void aScoreAtTheThresholdIsAnomalous() {
        EvaluationReport r = EvaluationReport.of("iforest", "1.0.0", "flow", "/data", 0.6, SCORED);
        // attacks flagged: 0.7, 0.9; benign flagged: 0.6
        assertEquals(new EvaluationReport.Verdicts(2, 1, 3, 3), r.atThreshold());
        assertEquals(2.0 / 3, r.atThreshold().precision());
        assertEquals(0.4, r.atThreshold().recall());
        CaptureRow office = r.captures().get(0);
        assertEquals(new CaptureRow("office.pcap", "benign", true, 3, 0, 0.6, true), office);
        assertFalse(r.captures().get(5).flagged());
    }

    @Test
    void aCaptureWithoutVectorsHasNoMaximumAndIsNotFlagged() {
        CaptureRow empty = EvaluationReport.of("m", "1.0.0", "flow", "/data", 0.0, SCORED).captures().get(3);
        assertEquals("empty.pcap", empty.capture());
        assertEquals(0, empty.vectors());
        assertTrue(Double.isNaN(empty.maxScore()));
        assertFalse(empty.flagged());
    }

    @Test
    void withoutBenignVectorsNothingHasAnAuc() {
        EvaluationReport r = EvaluationReport.of("m", "1.0.0", "flow", "/data", 0.5, List.of(capture("a.pcap", "scan", 0.4)));
        assertTrue(Double.isNaN(r.auc()));
        assertTrue(Double.isNaN(r.categories().get(0).auc()));
        assertTrue(Double.isNaN(r.atThreshold().precision())); // nothing flagged
        assertEquals(0.0, r.atThreshold().recall());
    }
}
