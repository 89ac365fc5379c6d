package io.amoskys.junction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Contribution;
import io.amoskys.api.event.Score;
import io.amoskys.api.event.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link EntityRisk#risk()} against a straightforward computation on the same observations: the
 * highest threat of the kept events and of those forgotten, each decayed to the newest time, with
 * rule hits beside them. Bit for bit, since risk() skips decaying threats that cannot raise its peak.
 */
class EntityRiskTest {
    private static final long HALF_LIFE = 600_000_000_000L;

    /** What the reference keeps: each event's time and fused threat, in first-seen order. */
    private record Kept(long tNanos, double threat) {}

    private static double decayed(double value, long from, long to) {
        return from == Long.MIN_VALUE || to <= from ? value : value * Math.pow(0.5, (double) (to - from) / HALF_LIFE);
    }

    @Test
    void aLateScoreFusesWithEveryScoreOfItsEventButOnlyTheEventsObservedLastKeepTheirScoresWhole() {
        EntityRisk risk = new EntityRisk(HALF_LIFE);
        List<List<Score>> fusions = new ArrayList<>();
        Function<List<Score>, ThreatFusion.Fused> fuse = scores -> {
            fusions.add(scores);
            return new ThreatFusion.Fused(scores.stream().mapToDouble(Score::value).max().orElse(0), 0, List.of());
        };
        long t = 1_700_000_000_000_000_000L;
        Score first = score("iforest", "e1", t, 0.4);
        risk.observe("e1", t, List.of(first), fuse);
        assertEquals(List.of(first), risk.lastScores(), "the event observed last keeps its scores whole");
        risk.observe("e2", t + 1, List.of(score("iforest", "e2", t + 1, 0.1)), fuse);
        Score gbt = score("gbt", "e1", t, 0.3);
        risk.observe("e1", t, List.of(gbt), fuse); // gbt's score of e1 arrives after e2's: e1 is among the last 8
        assertEquals(List.of(first, gbt), risk.lastScores(), "both whole");
        for (int i = 0; i < EntityRisk.WHOLE_KEPT; i++) {
            risk.observe("later" + i, t + 2 + i, List.of(score("iforest", "later" + i, t + 2 + i, 0.1)), fuse);
        }
        Score late = score("gbt", "e1", t, 0.9); // a score of e1 again, after eight more events
        risk.observe("e1", t, List.of(late), fuse);

        List<Score> fused = fusions.get(fusions.size() - 1);
        assertEquals(List.of("iforest", "gbt"), fused.stream().map(Score::detector).toList());
        assertEquals(List.of(0.4, 0.9), fused.stream().map(Score::value).toList(), "both of e1's scores, exactly");
        assertEquals("1.0.0", fused.get(0).modelVersion());
        assertTrue(fused.get(0).topContributions().isEmpty() && fused.get(0).eventIds().isEmpty(),
                "e1's first score was slimmed when eight events had come after it");
        assertEquals(late, fused.get(1));
        assertEquals(0.9, risk.lastObservation().threat());
    }

    private static Score score(String detector, String event, long t, double value) {
        return Score.builder().detector(detector).modelVersion("1.0.0").entityId("host:h").timestampNanos(t).value(value)
                .eventIds(List.of(event)).topContributions(List.of(new Contribution("port_entropy_1m", 5, 0.7))).build();
    }

    @Test
    void theRiskIsTheHighestDecayedThreatOfEveryEventKeptOrForgotten() {
        Random random = new Random(5);
        for (int round = 0; round < 50; round++) {
            EntityRisk risk = new EntityRisk(HALF_LIFE);
            Map<String, Kept> kept = new LinkedHashMap<>();
            double forgotten = 0;
            long forgottenAt = Long.MIN_VALUE;
            long clock = Long.MIN_VALUE;
            double hits = 0;
            long hitsAt = Long.MIN_VALUE;
            long t = 1_700_000_000_000_000_000L;
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                t += random.nextInt(3) == 0 ? -random.nextInt(60) * 1_000_000_000L : random.nextInt(90) * 1_000_000_000L;
                if (random.nextInt(20) == 0) {
                    double p = random.nextDouble() * 0.3;
                    clock = Math.max(clock, t);
                    hits = 1 - (1 - decayed(hits, hitsAt, clock)) * (1 - p);
                    hitsAt = clock;
                    risk.ruleHit(t, Alert.builder().id("h" + i).rule("sigma:x").entityId("host:h").timestampNanos(t)
                            .severity(Severity.HIGH).title("hit").build(), p);
                } else {
                    // A new event, or a later score of one seen before (kept or forgotten).
                    String id = ids.isEmpty() || random.nextInt(4) > 0 ? "ev" + i : ids.get(random.nextInt(ids.size()));
                    ids.add(id);
                    // Threats repeat (ties), fall to 0, and spread over [0, 1].
                    double threat = switch (random.nextInt(4)) {
                        case 0 -> 0.0;
                        case 1 -> 0.5;
                        default -> random.nextDouble();
                    };
                    Score score = Score.builder().detector("d" + random.nextInt(2)).modelVersion("1").entityId("host:h")
                            .timestampNanos(t).value(threat).build();
                    risk.observe(id, t, List.of(score), all -> new ThreatFusion.Fused(threat, 0, List.of()));
                    clock = Math.max(clock, t);
                    Kept before = kept.get(id);
                    if (before == null) {
                        kept.put(id, new Kept(t, threat));
                        if (kept.size() > EntityRisk.EVENTS_KEPT) {
                            String eldest = kept.keySet().iterator().next();
                            Kept gone = kept.remove(eldest);
                            forgotten = Math.max(decayed(forgotten, forgottenAt, clock), decayed(gone.threat(), gone.tNanos(), clock));
                            forgottenAt = clock;
                        }
                    } else {
                        kept.put(id, new Kept(before.tNanos(), threat));
                    }
                }
                double peak = decayed(forgotten, forgottenAt, clock);
                for (Kept k : kept.values()) {
                    peak = Math.max(peak, decayed(k.threat(), k.tNanos(), clock));
                }
                double expected = 1 - (1 - peak) * (1 - decayed(hits, hitsAt, clock));
                assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(risk.risk()),
                        "round " + round + ", step " + i + ": " + expected + " vs " + risk.risk());
            }
        }
    }
}
