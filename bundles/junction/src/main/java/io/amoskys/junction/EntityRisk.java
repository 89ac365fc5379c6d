package io.amoskys.junction;

import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Severity;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * One entity's risk over time, on its events' own clock: the highest threat of its recent
 * observations, halving every {@code halfLife} (a host that looked like a scanner an hour ago
 * still matters, less), combined with the rule hits on it as independent evidence,
 * {@code risk = 1 - (1 - risk)(1 - p(hit))}. Also what explains it: the latest observation's
 * fusion and the last few rule hits. Not thread-safe: the junction locks it.
 */
final class EntityRisk {
    static final int RULE_HITS_KEPT = 5;

    private final long halfLifeNanos;
    private double risk;
    private long clockNanos = Long.MIN_VALUE;
    private ThreatFusion.Fused lastObservation;
    private List<io.amoskys.api.event.Score> lastScores = List.of();
    /** The event whose scores {@link #lastScores} are, while more of them may come. */
    private String lastEventId;
    private final Deque<Alert> ruleHits = new ArrayDeque<>(RULE_HITS_KEPT);
    private Severity alerted;
    private long alertedAtNanos = Long.MIN_VALUE;

    EntityRisk(long halfLifeNanos) {
        this.halfLifeNanos = halfLifeNanos;
    }

    /** The risk at {@code tNanos} (not before the newest time seen), decayed from the last update. */
    double riskAt(long tNanos) {
        if (clockNanos == Long.MIN_VALUE || tNanos <= clockNanos) {
            return risk;
        }
        return risk * Math.pow(0.5, (double) (tNanos - clockNanos) / halfLifeNanos);
    }

    private void advance(long tNanos) {
        risk = riskAt(tNanos);
        clockNanos = Math.max(clockNanos, tNanos);
    }

    /**
     * {@code scores} with the earlier scores of the same event (null: none) by other detectors;
     * a detector that scores the event again replaces its earlier score.
     */
    List<io.amoskys.api.event.Score> scoresOf(String eventId, List<io.amoskys.api.event.Score> scores) {
        if (eventId == null || !eventId.equals(lastEventId)) {
            lastEventId = eventId;
            return scores;
        }
        java.util.Map<String, io.amoskys.api.event.Score> byDetector = new java.util.LinkedHashMap<>();
        lastScores.forEach(s -> byDetector.put(s.detector(), s));
        scores.forEach(s -> byDetector.put(s.detector(), s));
        return List.copyOf(byDetector.values());
    }

    void observe(long tNanos, ThreatFusion.Fused fused, List<io.amoskys.api.event.Score> scores) {
        advance(tNanos);
        risk = Math.max(risk, fused.threat());
        lastObservation = fused;
        lastScores = scores;
    }

    void ruleHit(long tNanos, Alert hit, double probability) {
        advance(tNanos);
        risk = 1 - (1 - risk) * (1 - probability);
        if (ruleHits.size() == RULE_HITS_KEPT) {
            ruleHits.removeFirst();
        }
        ruleHits.addLast(hit);
    }

    double risk() {
        return risk;
    }

    long clockNanos() {
        return clockNanos;
    }

    ThreatFusion.Fused lastObservation() {
        return lastObservation;
    }

    List<io.amoskys.api.event.Score> lastScores() {
        return lastScores;
    }

    List<Alert> ruleHits() {
        return List.copyOf(ruleHits);
    }

    /**
     * Whether the risk now deserves an alert: it reached {@code minimum} and either rose to a
     * higher severity than the last alert, or the last alert is older than the cool-down.
     * Records the alert when it does.
     */
    boolean shouldAlert(Severity severity, Severity minimum, long cooldownNanos) {
        if (severity == null || severity.compareTo(minimum) < 0) {
            return false;
        }
        boolean escalated = alerted == null || severity.compareTo(alerted) > 0;
        boolean cooledDown = alertedAtNanos == Long.MIN_VALUE || clockNanos - alertedAtNanos >= cooldownNanos;
        if (!escalated && !cooledDown) {
            return false;
        }
        alerted = severity;
        alertedAtNanos = clockNanos;
        return true;
    }
}
