package io.amoskys.model.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;

class ReportRenderingTest {
    private final EvaluationReport report = EvaluationReport.of("iforest", "1.0.2", "flow", "/data \"pcap\"", 0.6,
            EvaluationReportTest.SCORED);

    @Test
    void textHasTheSummaryAndBothTables() {
        String text = ReportText.render(report);
        assertTrue(text.startsWith("Model iforest 1.0.2 on /data \"pcap\" (flow vectors), threshold 0.6000"), text);
        assertTrue(text.contains("ROC AUC, attack against benign vectors: 0.5500 (5 attack, 4 benign; 0 not scored)"), text);
        assertTrue(text.matches("(?s).*\\nscan\\s+3\\s+3\\s+0\\.8750\\R.*"), text);
        assertTrue(text.contains("precision 0.6667 (2 of 3 flagged vectors are attacks), recall 0.4000 (2 of 5 attack vectors flagged)"), text);
        assertTrue(text.matches("(?s).*\\nempty\\.pcap\\s+scan\\s+0\\s+-\\s+no\\R.*"), text);
        assertTrue(text.matches("(?s).*\\noffice\\.pcap\\s+benign\\s+3\\s+0\\.6000\\s+yes\\R.*"), text);
        assertTrue(!text.contains("Not scored"), "the column appears only when a vector went unscored");
    }

    @Test
    void jsonHasTheSameNumbersUnroundedAndNullForUndefined() throws Exception {
        JsonObject json = (JsonObject) Jsoner.deserialize(ReportJson.render(report));
        assertEquals("/data \"pcap\"", json.get("data"));
        assertEquals(0.55, number(json.get("auc")));
        assertEquals(Map.of("attack", 5L, "benign", 4L, "unscored", 0L), longs((Map<?, ?>) json.get("vectors")));
        List<?> categories = (List<?>) json.get("categories");
        Map<?, ?> scan = (Map<?, ?>) categories.get(1);
        assertEquals("scan", scan.get("category"));
        assertEquals(10.5 / 12, number(scan.get("auc")));
        Map<?, ?> verdicts = (Map<?, ?>) json.get("atThreshold");
        assertEquals(2.0 / 3, number(verdicts.get("precision")));
        assertEquals(1L, number(verdicts.get("falsePositives")).longValue());
        Map<?, ?> empty = (Map<?, ?>) ((List<?>) json.get("captures")).get(3);
        assertNull(empty.get("maxScore"));
        assertEquals(Boolean.FALSE, empty.get("flagged"));
        assertEquals(Boolean.TRUE, ((Map<?, ?>) ((List<?>) json.get("captures")).get(1)).get("benign"));
    }

    private static Double number(Object json) {
        return ((BigDecimal) json).doubleValue();
    }

    private static Map<Object, Long> longs(Map<?, ?> map) {
        return map.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> number(e.getValue()).longValue()));
    }
}
