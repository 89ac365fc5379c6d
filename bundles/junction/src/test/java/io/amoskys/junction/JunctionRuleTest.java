package io.amoskys.junction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Contribution;
import io.amoskys.api.event.Response;
import io.amoskys.api.event.Score;
import io.amoskys.api.event.Severity;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.api.rule.RuleInput;
import java.lang.annotation.Annotation;
import java.util.List;
import org.junit.jupiter.api.Test;

class JunctionRuleTest {
    private static final long MINUTE = 60_000_000_000L;
    private static final long T0 = 1_795_608_000_000_000_000L;

    static JunctionRule junction(String weights, String thresholds, int maxEntities) {
        return new JunctionRule(new JunctionRule.Config() {
            public String weights() { return weights; }
            public double bias() { return 0; }
            public String thresholds() { return thresholds; }
            public double halfLifeMinutes() { return 10; }
            public String severities() { return "low=0.2,medium=0.5,high=0.8,critical=0.95"; }
            public String minSeverity() { return "medium"; }
            public long cooldownSeconds() { return 600; }
            public String ruleHits() { return "info=0.05,low=0.2,medium=0.5,high=0.8,critical=0.95"; }
            public int maxEntities() { return maxEntities; }
            public int idleMinutes() { return 240; }
            public Class<? extends Annotation> annotationType() { return JunctionRule.Config.class; }
        });
    }

    private final JunctionRule junction = junction("gbt=20", "iforest=0.5,gbt=0.5", 100);

    private static Score score(String detector, String entity, long t, double value, String topFeature) {
        return Score.builder().detector(detector).modelVersion("1.0.0").entityId(entity).timestampNanos(t).value(value)
                .eventIds(List.of("flow:" + t)).topContributions(List.of(new Contribution(topFeature, 1, 0.9))).build();
    }

    private static RuleInput observation(String entity, long t, Score... scores) {
        TelemetryEvent event = TelemetryEvent.builder().agentId("flow").sequence(t).entityId(entity).kind("flow").timestampNanos(t).build();
        return RuleInput.of(event, null, List.of(scores));
    }

    @Test
    void theThreatIsTheLogisticOfWeightedMarginsAndTheExplanationNamesTheDetectors() {
        List<Alert> alerts = junction.evaluate(observation("host:10.0.0.9", T0,
                score("iforest", "host:10.0.0.9", T0, 0.62, "half_open_ratio_1m"), score("gbt", "host:10.0.0.9", T0, 0.71, "port_entropy_1m")));
        double logOdds = 10 * (0.62 - 0.5) + 20 * (0.71 - 0.5);
        double threat = 1 / (1 + Math.exp(-logOdds));
        assertEquals(1, alerts.size());
        Alert alert = alerts.get(0);
        assertEquals(Severity.CRITICAL, alert.severity(), "threat " + threat + " is past 0.95");
        Score fused = alert.scores().get(0);
        assertEquals("junction", fused.detector());
        assertEquals(threat, fused.value(), 1e-12);
        assertEquals(List.of("detector:gbt", "detector:iforest"), fused.topContributions().stream().map(Contribution::feature).toList(),
                "largest share first");
        assertEquals(20 * (0.71 - 0.5), fused.topContributions().get(0).weight(), 1e-12);
        assertEquals(List.of("iforest", "gbt"), alert.scores().subList(1, 3).stream().map(Score::detector).toList(),
                "the detectors' own scores, with their top features, are the rest of the evidence");
        assertEquals("half_open_ratio_1m", alert.scores().get(1).topContributions().get(0).feature());
        assertTrue(alert.title().startsWith("host:10.0.0.9: threat 0.") && alert.title().contains("gbt 0.71 (threshold 0.50, +4.2)"),
                alert.title());
        assertEquals(List.of("flow:" + T0), alert.eventIds());
    }

    @Test
    void scoresOfOneEventArrivingOneByOneAreFusedTogether() {
        String host = "host:10.0.0.4";
        List<Alert> first = junction.evaluate(observation(host, T0, score("iforest", host, T0, 0.56, "f")));
        assertEquals(Severity.MEDIUM, first.get(0).severity(), "iforest alone: 10 x 0.06 -> 0.65");
        List<Alert> second = junction.evaluate(observation(host, T0, score("gbt", host, T0, 0.6, "g")));
        assertEquals(Severity.HIGH, second.get(0).severity(), "with gbt on the same event: 0.6 + 2.0 log-odds -> 0.93");
        assertEquals(List.of("junction", "iforest", "gbt"), second.get(0).scores().stream().map(Score::detector).toList());
        List<Alert> next = junction.evaluate(observation(host, T0 + 1, score("gbt", host, T0 + 1, 0.6, "g")));
        assertEquals(List.of(), next, "another event starts afresh (and the risk is still the peak: no new severity)");
    }

    @Test
    void interleavedEventsEachFuseTheirOwnScoresAndALowScoreLowersItsEvent() {
        String host = "host:10.0.0.5";
        JunctionRule quiet = junction("gbt=20", "iforest=0.5,gbt=0.5", 100);
        // Micro-batched branches: iforest scores both events before gbt scores either.
        quiet.evaluate(observation(host, T0, score("iforest", host, T0, 0.58, "f")));
        quiet.evaluate(observation(host, T0 + 1, score("iforest", host, T0 + 1, 0.52, "f")));
        assertEquals(1 / (1 + Math.exp(-0.8)), quiet.riskiest(1).get(0).risk(), 1e-9, "first event's iforest alone so far");
        quiet.evaluate(observation(host, T0, score("gbt", host, T0, 0.30, "g")));
        quiet.evaluate(observation(host, T0 + 1, score("gbt", host, T0 + 1, 0.30, "g")));
        double first = 1 / (1 + Math.exp(-(0.8 - 4.0)));
        double second = 1 / (1 + Math.exp(-(0.2 - 4.0)));
        assertEquals(Math.max(first, second * Math.pow(0.5, 1.0 / (10 * MINUTE))), quiet.riskiest(1).get(0).risk(), 1e-9,
                "each event fused with its own gbt score, which pulls it down");
    }

    @Test
    void scoresUnderTheirThresholdsRaiseNothingAndTakeEvidenceAway() {
        assertEquals(List.of(), junction.evaluate(observation("host:a", T0, score("iforest", "host:a", T0, 0.40, "x"),
                score("gbt", "host:a", T0, 0.02, "y"))));
        JunctionRule.EntityThreat a = junction.riskiest(5).get(0);
        assertTrue(a.risk() < 0.01, "both below threshold: " + a.risk());
    }

    @Test
    void riskHalvesOverTheHalfLifeAndAnEntityAlertsAgainOnlyWhenItEscalatesOrCoolsDown() {
        String host = "host:10.0.0.7";
        assertEquals(Severity.MEDIUM, junction.evaluate(observation(host, T0, score("gbt", host, T0, 0.52, "f"))).get(0).severity());
        assertEquals(List.of(), junction.evaluate(observation(host, T0 + MINUTE, score("gbt", host, T0 + MINUTE, 0.52, "f"))),
                "same severity within the cool-down: grouped, not repeated");
        List<Alert> escalated = junction.evaluate(observation(host, T0 + 2 * MINUTE, score("gbt", host, T0 + 2 * MINUTE, 0.9, "f")));
        assertEquals(Severity.CRITICAL, escalated.get(0).severity(), "a rise in severity alerts at once");
        double peak = 1 / (1 + Math.exp(-20 * 0.4));

        // Ten minutes of quiet ordinary flows later, the peak has halved.
        long later = T0 + 12 * MINUTE;
        junction.evaluate(observation(host, later, score("gbt", host, later, 0.01, "f")));
        assertEquals(peak / 2, junction.riskiest(1).get(0).risk(), 1e-9);
    }

    @Test
    void ruleHitsAddEvidenceAndNameThemselvesInTheNextAlert() {
        String host = "host:10.0.0.3";
        Alert hit = Alert.builder().id("h1").rule("sigma:portscan").entityId(host).timestampNanos(T0).severity(Severity.HIGH)
                .title("port scan").tags(List.of("attack.t1046")).build();
        Response response = junction.respond(hit);
        assertEquals(Response.Outcome.DONE, response.outcome());
        List<Alert> alerts = junction.evaluate(observation(host, T0, score("iforest", host, T0, 0.45, "f")));
        assertEquals(1, alerts.size(), "a high rule hit alone is risk 0.8");
        assertEquals(Severity.HIGH, alerts.get(0).severity());
        assertEquals(List.of("attack.t1046"), alerts.get(0).tags());
        assertTrue(alerts.get(0).title().endsWith("; rules sigma:portscan"), alerts.get(0).title());
        assertTrue(alerts.get(0).scores().get(0).topContributions().stream().anyMatch(c -> c.feature().equals("rule:sigma:portscan")));
        assertEquals(Response.Outcome.SKIPPED, junction.respond(alerts.get(0)).outcome(), "its own alerts are not evidence again");
    }

    @Test
    void entitiesAreBoundedAndBrokenSettingsAreRefusedByName() {
        JunctionRule small = junction("", "", 3);
        for (int i = 0; i < 10; i++) {
            small.evaluate(score("zscore", "host:" + i, T0 + i, 0.1, "f"));
        }
        assertEquals(3, small.riskiest(100).size());
        StringBuilder metrics = new StringBuilder();
        small.writePrometheus(metrics);
        assertTrue(metrics.toString().contains("amoskys_junction_entities_evicted_total 7\n"), metrics.toString());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> junction("gbt=heavy", "", 3));
        assertEquals("io.amoskys.junction: weights: 'heavy' of gbt is not a number", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> junction("gbt", "", 3));
        assertEquals("io.amoskys.junction: weights must be name=number pairs separated by commas, and 'gbt' is not", e.getMessage());
    }
}
