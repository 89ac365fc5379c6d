package io.amoskys.responder.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Score;
import io.amoskys.api.event.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditLogResponderTest {
    @Test
    void telemetryTextCannotWriteALineOfItsOwn() {
        // A remote agent names the entity; a device on the watched network shapes titles and labels.
        String forged = "2026-11-28 12:00:00,000 ALERT id=forged rule=none";
        Alert alert = Alert.builder().id("a-1").rule("sigma:scan").severity(Severity.HIGH)
                .entityId("host:10.0.0.9\n" + forged + "\r\u001b[2J\" severity=LOW")
                .title("scan \"quoted\" \\ end")
                .scores(List.of(Score.builder().detector("iforest").modelVersion("1").entityId("host:10.0.0.9").value(0.9)
                        .eventIds(List.of("edge-1:7\nx")).build()))
                .build();
        String line = AuditLogResponder.line(alert);
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.contains(" entity=\"host:10.0.0.9\\n" + forged + "\\r\\u001b[2J\\\" severity=LOW\" title="), line);
        assertTrue(line.contains(" title=\"scan \\\"quoted\\\" \\\\ end\" "), line);
        assertTrue(line.contains("events=[edge-1:7\\nx]"), line);
        assertTrue(line.startsWith("ALERT id=a-1 rule=sigma:scan severity=HIGH "), line);
    }
}
