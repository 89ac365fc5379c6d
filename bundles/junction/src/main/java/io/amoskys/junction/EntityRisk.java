package io.amoskys.junction;

import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Score;
import io.amoskys.api.event.Severity;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;

/**
 * One entity's risk over time, on its events' own clock, from two kinds of evidence that halve
 * every {@code halfLife}:
 *
 * <ul>
 * <li>observations: the highest threat of its recent events, each event's threat fused from all
 *     the scores it got so far (routes deliver one event's scores one detector at a time, and
 *     interleaved with other events' under micro-batching, so each of the last
 *     {@value #EVENTS_KEPT} events keeps its own scores; an event's threat is replaced, not
 *     maxed, when another of its scores arrives, so a detector's low score can lower it);
 * <li>rule hits, combined as independent evidence: {@code 1 - Π (1 - p(hit))}.
 * </ul>
 *
 * {@code risk = 1 - (1 - observations)(1 - rule hits)}. Also what explains it: the event with the
 * highest threat and the last few rule hits. Not thread-safe: the junction locks it.
 *
 * <p>The {@value #WHOLE_KEPT} events observed last keep their scores whole (their event ids and
 * top contributions go into an alert); an event observed before them keeps of each score what
 * fusing needs (detector, model version, value), so a late score still fuses exactly, while a
 * busy entity holds a third of the memory: 2.5 GB rather than 8.0 GB at the junction's default cap
 * of 100,000 entities ({@code JunctionBenchmark#heapPerBusyHost}). Each model scores on its own
 * thread, so a busy host's scores of one event can arrive more than {@value #WHOLE_KEPT} of its
 * events apart: an alert on such an event lists the earlier detectors' scores without their event
 * ids and contributions (its fused score still names every detector).
 */
final class EntityRisk {
    static final int EVENTS_KEPT = 64;
    static final int RULE_HITS_KEPT = 5;
    static final int WHOLE_KEPT = 8;

    private static final Score[] NO_SCORES = new Score[0];

    /** One event's scores so far, one per detector in the order they came, and the threat fused from them. */
    private static final class EventThreat {
        final long tNanos;
        /** Where the event's time and threat are kept in {@link #times} and {@link #threats}. */
        final int slot;
        Score[] scores = NO_SCORES;
        /** Kept while the event's scores are whole (read only for the event observed last). */
        ThreatFusion.Fused fused;

        EventThreat(long tNanos, int slot) {
            this.tNanos = tNanos;
            this.slot = slot;
        }

        /** Adds the detector's score, or replaces the one it gave before. */
        void put(Score score) {
            for (int i = 0; i < scores.length; i++) {
                if (scores[i].detector().equals(score.detector())) {
                    scores[i] = score;
                    return;
                }
            }
            scores = Arrays.copyOf(scores, scores.length + 1);
            scores[scores.length - 1] = score;
        }

        /** Pushed out of the events kept whole: keeps of each score what fusing needs. */
        void slim() {
            fused = null;
            for (int i = 0; i < scores.length; i++) {
                Score s = scores[i];
                if (!s.eventIds().isEmpty() || !s.topContributions().isEmpty()) {
                    scores[i] = Score.builder().detector(s.detector()).modelVersion(s.modelVersion()).entityId(s.entityId())
                            .timestampNanos(s.timestampNanos()).value(s.value()).build();
                }
            }
        }
    }

    private final long halfLifeNanos;
    private long clockNanos = Long.MIN_VALUE;
    private final LinkedHashMap<String, EventThreat> recent = new LinkedHashMap<>();
    /**
     * The kept events' times and fused threats by slot, beside {@link #recent}: {@link #risk}
     * reads every kept event per observation, and two arrays are read far faster than a linked
     * map's entries, events and fusions. An event not fused yet holds 0, which never raises the
     * peak (it starts at the forgotten peak, at least 0), as if it were skipped.
     */
    private final long[] times = new long[EVENTS_KEPT];
    private final double[] threats = new double[EVENTS_KEPT];
    /** The highest threat of events no longer kept, as of {@link #forgottenAtNanos}. */
    private double forgottenPeak;
    private long forgottenAtNanos = Long.MIN_VALUE;
    /** Rule hits' combined evidence, as of {@link #hitsAtNanos}. */
    private double hitEvidence;
    private long hitsAtNanos = Long.MIN_VALUE;
    private final Deque<Alert> ruleHits = new ArrayDeque<>(RULE_HITS_KEPT);
    private EventThreat lastObservation;
    /** The events observed last, whose scores are kept whole; the one pushed out is slimmed. */
    private final EventThreat[] whole = new EventThreat[WHOLE_KEPT];
    private int wholeNext;
    private Severity alerted;
    private long alertedAtNanos = Long.MIN_VALUE;
    private long anonymous;

    EntityRisk(long halfLifeNanos) {
        this.halfLifeNanos = halfLifeNanos;
    }

    private double decayed(double value, long fromNanos, long toNanos) {
        return fromNanos == Long.MIN_VALUE || toNanos <= fromNanos ? value
                : value * Math.pow(0.5, (double) (toNanos - fromNanos) / halfLifeNanos);
    }

    /**
     * Adds an event's scores ({@code eventId} null: an observation of its own) and fuses all the
     * scores that event has had; a detector that scores the event again replaces its score.
     */
    void observe(String eventId, long tNanos, List<Score> scores, Function<List<Score>, ThreatFusion.Fused> fuse) {
        clockNanos = Math.max(clockNanos, tNanos);
        String key = eventId != null ? eventId : "#" + anonymous++;
        EventThreat event = recent.get(key);
        if (event == null) {
            int slot = recent.size();
            if (slot == EVENTS_KEPT) { // the eldest goes first and leaves its slot to this event
                Iterator<EventThreat> eldest = recent.values().iterator();
                EventThreat gone = eldest.next();
                eldest.remove();
                double goneNow = decayed(threats[gone.slot], times[gone.slot], clockNanos);
                forgottenPeak = Math.max(decayed(forgottenPeak, forgottenAtNanos, clockNanos), goneNow);
                forgottenAtNanos = clockNanos;
                slot = gone.slot;
            }
            event = new EventThreat(tNanos, slot);
            recent.put(key, event);
            times[slot] = tNanos;
            threats[slot] = 0;
        }
        for (Score s : scores) {
            event.put(s);
        }
        event.fused = fuse.apply(List.of(event.scores));
        threats[event.slot] = event.fused.threat();
        keepWhole(event);
        lastObservation = event;
    }

    private void keepWhole(EventThreat event) {
        for (EventThreat kept : whole) {
            if (kept == event) {
                return;
            }
        }
        EventThreat out = whole[wholeNext];
        if (out != null) {
            out.slim();
        }
        whole[wholeNext] = event;
        wholeNext = (wholeNext + 1) % WHOLE_KEPT;
    }

    void ruleHit(long tNanos, Alert hit, double probability) {
        clockNanos = Math.max(clockNanos, tNanos);
        hitEvidence = 1 - (1 - decayed(hitEvidence, hitsAtNanos, clockNanos)) * (1 - probability);
        hitsAtNanos = clockNanos;
        if (ruleHits.size() == RULE_HITS_KEPT) {
            ruleHits.removeFirst();
        }
        ruleHits.addLast(hit);
    }

    /**
     * The risk at the newest time seen. Decay only lowers a threat, so an event whose threat is
     * already below the peak found so far cannot raise it and is not decayed (a power per event
     * kept, per score observed, was most of the junction's cost); the event observed last, which
     * is always among those kept and the least decayed, is taken first to set a high peak early.
     * The result is the maximum over the same values, so it is the same to the bit.
     */
    double risk() {
        long now = clockNanos;
        double peak = decayed(forgottenPeak, forgottenAtNanos, now);
        if (lastObservation != null && lastObservation.fused != null) {
            peak = Math.max(peak, decayed(lastObservation.fused.threat(), lastObservation.tNanos, now));
        }
        for (int slot = 0; slot < recent.size(); slot++) { // slots in use are 0 .. size - 1: freed only to be reused
            double threat = threats[slot];
            if (!(threat >= 0 && threat < peak)) {
                peak = Math.max(peak, decayed(threat, times[slot], now));
            }
        }
        return 1 - (1 - peak) * (1 - decayed(hitEvidence, hitsAtNanos, now));
    }

    long clockNanos() {
        return clockNanos;
    }

    /** The fusion of the event scored last. */
    ThreatFusion.Fused lastObservation() {
        return lastObservation == null ? null : lastObservation.fused;
    }

    /** The scores of the event scored last. */
    List<Score> lastScores() {
        return lastObservation == null ? List.of() : new ArrayList<>(List.of(lastObservation.scores));
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
