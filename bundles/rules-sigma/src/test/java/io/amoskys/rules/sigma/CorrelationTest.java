package io.amoskys.rules.sigma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.Alert;
import io.amoskys.api.rule.RuleInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Sigma correlation types with timespans, group-by, late and out-of-order events, and bounded state. */
class CorrelationTest {
    static final String RULES = """
            title: SYN probe
            id: syn
            logsource: {product: amoskys, category: flow}
            detection:
              s: {syn_fwd|gte: 1, packets_fwd|lte: 2}
              condition: s
            ---
            title: DNS query
            id: dns
            logsource: {product: amoskys, category: dns}
            detection:
              s: {direction: query}
              condition: s
            ---
            title: new process
            id: proc
            logsource: {product: amoskys, category: process}
            detection:
              s: {new_executable: 1}
              condition: s
            ---
            title: outbound
            id: out
            logsource: {product: amoskys, category: flow}
            detection:
              s: {new_dst_ratio_10m|gte: 0.5}
              condition: s
            """;

    private static SigmaEngine engine(String correlation) {
        return engine(correlation, 10_000, 1_000);
    }

    private static SigmaEngine engine(String correlation, int groups, int entries) {
        SigmaEngine engine = new SigmaEngine(groups, entries, r -> {});
        assertEquals(List.of(), engine.load("base.yml", -1, RULES));
        assertEquals(List.of(), engine.load("corr.yml", -1, correlation));
        return engine;
    }

    private static RuleInput syn(double t, String src, String dst, int dport) {
        return Events.flow(t, "host:" + src, Map.of("syn_fwd", 1.0, "packets_fwd", 1.0, "dst", dst, "dport",
                Integer.toString(dport)));
    }

    private static List<Alert> feed(SigmaEngine engine, List<RuleInput> inputs) {
        List<Alert> out = new ArrayList<>();
        inputs.forEach(in -> out.addAll(engine.evaluate(in)));
        return out;
    }

    private static long count(List<Alert> alerts, String rule) {
        return alerts.stream().filter(a -> a.rule().equals(rule)).count();
    }

    @Test
    void eventCountPerGroupWithinTheTimespan() {
        SigmaEngine engine = engine("""
                title: SYN burst
                id: burst
                level: high
                tags: [attack.t1498.001]
                correlation:
                  type: event_count
                  rules: [syn]
                  group-by: [entity, dst]
                  timespan: 10s
                  condition: {gte: 5}
                """);
        List<RuleInput> in = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            in.add(syn(i * 3, "a", "t", i)); // 4 in 9 s, then one at 12 s: the first fell out of the window
        }
        in.add(syn(12, "a", "t", 9));
        for (int i = 0; i < 5; i++) {
            in.add(syn(100 + i, "b", "t", i)); // 5 in 4 s: fires once
            in.add(syn(100 + i, "c", "t" + i, i)); // 5 from c, but to 5 targets: 5 groups of 1
        }
        List<Alert> alerts = feed(engine, in);
        assertEquals(1, count(alerts, "burst"), alerts::toString);
        Alert a = alerts.stream().filter(x -> x.rule().equals("burst")).findFirst().orElseThrow();
        assertEquals("host:b", a.entityId());
        assertEquals(Map.of("entity", "host:b", "dst", "t"), a.groupBy());
        assertEquals(5, a.eventIds().size());
        assertEquals(List.of("attack.t1498.001"), a.tags());
        assertEquals(0, count(alerts, "syn"), "generate: false keeps the referred rule quiet");
        // the group is quiet for a timespan after it fired (to 114 s): the matches then are kept, and the
        // first match after it fires with them
        List<RuleInput> more = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            more.add(syn(105 + i * 2, "b", "t", i)); // 105..113: suppressed
        }
        assertEquals(0, feed(engine, more).size());
        assertEquals(5, engine.state()[5]);
        more.clear();
        for (int i = 0; i < 5; i++) {
            more.add(syn(115 + i, "b", "t", i));
        }
        assertEquals(1, feed(engine, more).size());
    }

    @Test
    void matchesInTheQuietTimeAreKeptSoDecoysDoNotHideTheRealSpread() {
        SigmaEngine engine = engine("""
                title: the same scan from three devices
                id: spread
                level: critical
                correlation:
                  type: value_count
                  rules: [syn]
                  timespan: 10m
                  condition: {field: entity, gte: 3}
                """);
        List<Alert> decoys = feed(engine, List.of(syn(0, "decoy1", "t", 1), syn(1, "decoy2", "t", 1), syn(2, "decoy3", "t", 1)));
        assertEquals(1, count(decoys, "spread"), "the decoys fire the group, which is then quiet for 10 minutes");
        List<Alert> worm = feed(engine, List.of(syn(60, "worm1", "t", 445), syn(61, "worm2", "t", 445), syn(62, "worm3", "t", 445)));
        assertEquals(0, count(worm, "spread"), "quiet");
        List<Alert> after = feed(engine, List.of(syn(603, "decoy1", "t", 1)));
        assertEquals(1, count(after, "spread"), "the first match after the quiet time completes the kept ones");
        assertEquals("host:decoy1", after.get(0).entityId(), "the alert is the completing match's; the evidence names the worm");
        List<String> evidence = after.get(0).eventIds();
        assertEquals(4, evidence.size(), evidence::toString);
    }

    @Test
    void generateTrueKeepsTheReferredRulesAlerting() {
        SigmaEngine engine = engine("title: b\nid: b\ncorrelation: {type: event_count, rules: [syn], timespan: 10s, "
                + "condition: {gte: 2}, generate: true}\n");
        List<Alert> alerts = feed(engine, List.of(syn(0, "a", "t", 1), syn(1, "a", "t", 2)));
        assertEquals(2, count(alerts, "syn"));
        assertEquals(1, count(alerts, "b"));
    }

    @Test
    void valueCountOfDistinctValues() {
        SigmaEngine engine = engine("""
                title: port scan
                id: scan
                correlation:
                  type: value_count
                  rules: [syn]
                  group-by: [entity]
                  timespan: 1m
                  condition: {field: dport, gte: 10}
                """);
        List<RuleInput> in = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            in.add(syn(i, "a", "t", 80)); // many events, one port
        }
        for (int i = 0; i < 10; i++) {
            in.add(syn(i * 7, "b", "t", 1000 + i)); // 10 ports in 63 s: never 10 within a minute
        }
        for (int i = 0; i < 10; i++) {
            in.add(syn(200 + i, "c", "t", 1000 + i)); // 10 ports in 9 s
        }
        List<Alert> alerts = feed(engine, in);
        assertEquals(1, alerts.size(), alerts::toString);
        assertEquals("host:c", alerts.get(0).entityId());
    }

    @Test
    void temporalAnyOrderAndTemporalOrdered() {
        String temporal = """
                title: process then outbound
                id: pt
                correlation:
                  type: TYPE
                  rules: [proc, out]
                  aliases:
                    host:
                      proc: host
                      out: src
                  group-by: [host]
                  timespan: 5m
                """;
        RuleInput proc = Events.at(100, "process", "process:h1/42", Map.of("host", "10.0.0.5", "new_executable", 1.0));
        RuleInput outEarly = Events.flow(50, "host:10.0.0.5", Map.of("src", "10.0.0.5", "new_dst_ratio_10m", 0.9));
        RuleInput outLate = Events.flow(200, "host:10.0.0.5", Map.of("src", "10.0.0.5", "new_dst_ratio_10m", 0.9));
        RuleInput otherHost = Events.flow(150, "host:10.0.0.6", Map.of("src", "10.0.0.6", "new_dst_ratio_10m", 0.9));

        SigmaEngine any = engine(temporal.replace("TYPE", "temporal"));
        assertEquals(0, feed(any, List.of(proc, otherHost)).size());
        List<Alert> alerts = feed(any, List.of(outEarly));
        assertEquals(1, alerts.size(), "any order: flow before process counts");
        assertEquals(Map.of("host", "10.0.0.5"), alerts.get(0).groupBy());

        SigmaEngine ordered = engine(temporal.replace("TYPE", "temporal_ordered"));
        assertEquals(0, feed(ordered, List.of(outEarly, proc, otherHost)).size(), "flow before process: not in order");
        assertEquals(1, feed(ordered, List.of(outLate)).size());
        // out of order arrival: the process event arrives after the later flow, still in order by event time
        SigmaEngine late = engine(temporal.replace("TYPE", "temporal_ordered"));
        assertEquals(0, feed(late, List.of(outLate)).size());
        assertEquals(1, feed(late, List.of(proc)).size());
        // beyond the timespan: no
        SigmaEngine far = engine(temporal.replace("TYPE", "temporal_ordered"));
        assertEquals(0, feed(far, List.of(proc, Events.flow(401, "host:10.0.0.5", Map.of("src", "10.0.0.5",
                "new_dst_ratio_10m", 0.9)))).size());
    }

    @Test
    void outOfOrderAndLateEvents() {
        SigmaEngine engine = engine("title: b\nid: b\ncorrelation: {type: event_count, rules: [syn], group-by: [entity], "
                + "timespan: 10s, condition: {gte: 3}}\n");
        // arrive 20, 12, 25: 12 is within 10 s of 20 (out of order, kept), but no window of 10 s holds 3
        assertEquals(0, feed(engine, List.of(syn(20, "a", "t", 1), syn(12, "a", "t", 2), syn(25, "a", "t", 3))).size());
        // 5 s is older than the newest (25) by more than the timespan: late, dropped and counted
        assertEquals(0, feed(engine, List.of(syn(5, "a", "t", 4))).size());
        assertEquals(1, engine.state()[4]);
        // 18 arrives late but inside: 18, 20, 25 lie within 10 s
        List<Alert> alerts = feed(engine, List.of(syn(18, "a", "t", 5)));
        assertEquals(1, alerts.size());
        assertEquals(3, alerts.get(0).eventIds().size());
        assertEquals(RuleCases.BASE_NANOS + 18_000_000_000L, alerts.get(0).timestampNanos());
    }

    @Test
    void stateIsBoundedAndEvictionsAreCounted() {
        SigmaEngine engine = engine("title: b\nid: b\ncorrelation: {type: event_count, rules: [syn], group-by: [entity], "
                + "timespan: 1h, condition: {gte: 3}}\n", 100, 5);
        List<RuleInput> in = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            in.add(syn(i, "h" + i, "t", 1)); // 1000 entities, one match each
        }
        feed(engine, in);
        long[] state = engine.state();
        assertEquals(100, state[0], "groups capped");
        assertEquals(900, state[2], "evictions counted");
        // The least recently matched went first: h0 is gone, so two more of h0 do not fire; h999 fires with two more.
        assertEquals(0, feed(engine, List.of(syn(1000, "h0", "t", 1), syn(1001, "h0", "t", 1))).size());
        assertEquals(1, feed(engine, List.of(syn(1002, "h999", "t", 1), syn(1003, "h999", "t", 1))).size());
        // A group keeps at most 5 matches
        SigmaEngine small = engine("title: b\nid: b\ncorrelation: {type: event_count, rules: [syn], timespan: 1h, "
                + "condition: {gte: 50}}\n", 100, 5);
        for (int i = 0; i < 20; i++) {
            small.evaluate(syn(i, "x", "t", 1));
        }
        assertEquals(5, small.state()[1]);
        assertEquals(15, small.state()[3]);
        StringBuilder metrics = new StringBuilder();
        new SigmaMetrics(small).writePrometheus(metrics);
        assertTrue(metrics.toString().contains("amoskys_rules_state_dropped_total 15"), metrics::toString);
        assertTrue(metrics.toString().contains("amoskys_rules_loaded{type=\"correlation\"} 1"));
        assertTrue(metrics.toString().contains("amoskys_rules_evaluations_total 20"));
    }

    @Test
    void correlationsChain() {
        // lateral movement: the same anomaly (the burst) on 3 hosts within 10 minutes
        SigmaEngine engine = engine("""
                title: burst
                id: burst
                correlation: {type: event_count, rules: [syn], group-by: [entity], timespan: 10s, condition: {gte: 2}}
                ---
                title: spread
                id: spread
                level: critical
                correlation: {type: value_count, rules: [burst], timespan: 10m, condition: {field: entity, gte: 3}}
                """);
        List<RuleInput> in = new ArrayList<>();
        for (String h : List.of("a", "b", "c")) {
            in.add(syn(in.size() * 10, h, "t", 1));
            in.add(syn(in.size() * 10, h, "t", 2));
        }
        List<Alert> alerts = feed(engine, in);
        assertEquals(0, count(alerts, "burst"), "kept quiet by spread");
        assertEquals(1, count(alerts, "spread"));
        assertEquals(6, alerts.get(0).eventIds().size());
    }

    /**
     * The correlation keeps running counts so that an in-order match needs no pass over its group;
     * on a random stream, late and out-of-order matches included, it must fire exactly when the
     * plain scan of every window (the reference below) fires, with the same evidence.
     */
    @Test
    void runningCountsFireExactlyAsAScanOfEveryWindow() {
        java.util.Random random = new java.util.Random(7);
        int firings = 0;
        for (int round = 0; round < 40; round++) {
            boolean valueCount = round % 2 == 0; // event_count: value_count of values that never repeat
            SigmaEngine engine = engine(valueCount ? """
                    title: SYN scan
                    id: scan
                    level: medium
                    correlation:
                      type: value_count
                      rules: [syn]
                      group-by: [entity, dst]
                      timespan: 10s
                      condition: {field: dport, gte: 6}
                    """ : """
                    title: SYN burst
                    id: scan
                    level: medium
                    correlation:
                      type: event_count
                      rules: [syn]
                      group-by: [entity, dst]
                      timespan: 10s
                      condition: {gte: 9}
                    """);
            int outOfOrder = 2 + round % 5; // one in 2 to one in 6
            Map<String, ReferenceGroup> reference = new java.util.HashMap<>();
            double clock = 0;
            for (int i = 0; i < 3000; i++) {
                clock += random.nextDouble() * 0.4;
                double t = random.nextInt(outOfOrder) == 0 ? clock - random.nextDouble() * 12 : clock; // some late, some out of order
                String src = "10.0.0." + random.nextInt(3);
                String dst = "10.0.1." + random.nextInt(2);
                RuleInput input = syn(t, src, dst, 20 + random.nextInt(8));
                List<String> fired = engine.evaluate(input).stream().filter(a -> a.rule().equals("scan"))
                        .map(a -> String.join(",", a.eventIds())).toList();
                List<String> expected = reference.computeIfAbsent(input.event().entityId() + "|" + dst, g -> new ReferenceGroup())
                        .feed(input.event().timestampNanos(), valueCount ? input.event().labels().get("dport") : input.event().id(),
                                input.event().id(), 10_000_000_000L, valueCount ? 6 : 9);
                assertEquals(expected, fired, "round " + round + ", event " + i);
                firings += fired.size();
            }
        }
        assertTrue(firings > 100, "the stream makes the correlation fire: " + firings);
    }

    /** The straightforward reading of the correlation: every widest window holding the new match, scanned. */
    private static final class ReferenceGroup {
        private record Match(long time, String value, String id) {}

        private final List<Match> matches = new ArrayList<>();
        private long newest = Long.MIN_VALUE;
        private long quietUntil = Long.MIN_VALUE;

        List<String> feed(long time, String value, String id, long span, int distinct) {
            if (newest != Long.MIN_VALUE && time < newest - span) {
                return List.of();
            }
            int at = matches.size();
            while (at > 0 && matches.get(at - 1).time > time) {
                at--;
            }
            matches.add(at, new Match(time, value, id));
            newest = Math.max(newest, time);
            matches.removeIf(m -> m.time < newest - span);
            if (time <= quietUntil) {
                return List.of(); // kept, but the group is quiet
            }
            int k = -1;
            for (int i = 0; i < matches.size(); i++) {
                if (matches.get(i).id.equals(id)) {
                    k = i;
                }
            }
            for (int i = 0; i <= k; i++) {
                if (matches.get(i).time < time - span) {
                    continue;
                }
                int j = k;
                while (j + 1 < matches.size() && matches.get(j + 1).time <= matches.get(i).time + span) {
                    j++;
                }
                if (matches.subList(i, j + 1).stream().map(Match::value).distinct().count() >= distinct) {
                    String evidence = String.join(",", matches.subList(i, j + 1).stream().map(Match::id).toList());
                    matches.clear();
                    quietUntil = time + span;
                    return List.of(evidence);
                }
            }
            return List.of();
        }
    }
}
