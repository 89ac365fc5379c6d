package io.amoskys.rule.threshold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Score;
import io.amoskys.api.event.Severity;
import java.lang.annotation.Annotation;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThresholdRuleTest {
    private final ThresholdRule rule = rule("critical");

    private static ThresholdRule rule(String maxSeverity) {
        return new ThresholdRule(new ThresholdRule.Config() {
            public double minScore() { return 0.75; }
            public long cooldownSeconds() { return 60; }
            public int maxEntities() { return 100; }
            public String maxSeverity() { return maxSeverity; }
            public Class<? extends Annotation> annotationType() { return ThresholdRule.Config.class; }
        });
    }

    private static Score score(String entity, long second, double value) {
        return Score.builder().detector("d").entityId(entity).timestampNanos(second * 1_000_000_000L).value(value).build();
    }

    @Test
    void scoresBelowTheThresholdRaiseNothing() {
        assertTrue(rule.evaluate(score("e", 0, 0.74)).isEmpty());
    }

    @Test
    void aHighScoreRaisesOneAlertCarryingTheScoreAsEvidence() {
        Score s = score("e", 0, 0.92);
        List<Alert> alerts = rule.evaluate(s);
        assertEquals(1, alerts.size());
        assertEquals(Severity.HIGH, alerts.get(0).severity());
        assertEquals(List.of(s), alerts.get(0).scores());
    }

    @Test
    void anEntityIsQuietDuringItsCooldownThenAlertsAgain() {
        assertEquals(1, rule.evaluate(score("e", 0, 0.9)).size());
        assertTrue(rule.evaluate(score("e", 30, 0.99)).isEmpty());
        assertEquals(1, rule.evaluate(score("other", 30, 0.99)).size());
        assertEquals(1, rule.evaluate(score("e", 61, 0.9)).size());
    }

    @Test
    void oneDetectorsScoreGivesAtMostTheConfiguredSeverity() {
        ThresholdRule capped = rule("medium");
        assertEquals(Severity.MEDIUM, capped.evaluate(score("e", 0, 0.99)).get(0).severity());
        assertEquals(Severity.MEDIUM, capped.evaluate(score("f", 0, 0.8)).get(0).severity());
        assertEquals(Severity.CRITICAL, rule.evaluate(score("g", 0, 0.99)).get(0).severity());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> rule("urgent"));
        assertTrue(e.getMessage().contains("urgent"), e.getMessage());
    }
}
