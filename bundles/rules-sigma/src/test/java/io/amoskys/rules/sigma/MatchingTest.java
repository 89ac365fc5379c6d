package io.amoskys.rules.sigma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Severity;
import io.amoskys.api.rule.RuleInput;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Field modifiers, wildcards, conditions and the field naming scheme. */
class MatchingTest {
    private static boolean matches(String detection, RuleInput input) {
        return matches("flow", detection, input);
    }

    private static boolean matches(String category, String detection, RuleInput input) {
        SigmaEngine engine = new SigmaEngine();
        String yaml = "title: t\nid: t\nlogsource: {product: amoskys, category: " + category + "}\ndetection:\n" + detection;
        List<RuleRefusal> refused = engine.load("t.yml", -1, yaml);
        assertEquals(List.of(), refused);
        return !engine.evaluate(input).isEmpty();
    }

    private static final RuleInput FLOW = Events.at(0, "flow", "host:10.1.2.3",
            Map.of("dport", "443", "proto", "tcp", "dst", "192.168.7.9", "app", "https", "bytes_fwd", 1500.0, "dns_query",
                    "www.Example.com"),
            Map.of("half_open_ratio_1m", 0.8, "bytes_fwd", 1500.0), Map.of("iforest", 0.93));

    @Test
    void plainValuesNumbersAndWildcards() {
        assertTrue(matches("  s: {dport: 443}\n  condition: s\n", FLOW)); // a number against a label
        assertTrue(matches("  s: {dport: '443'}\n  condition: s\n", FLOW));
        assertTrue(matches("  s: {proto: TCP}\n  condition: s\n", FLOW)); // case-insensitive
        assertTrue(matches("  s: {dns_query: '*.example.com'}\n  condition: s\n", FLOW));
        assertTrue(matches("  s: {dns_query: 'www.exampl?.com'}\n  condition: s\n", FLOW));
        assertFalse(matches("  s: {dns_query: 'example.com'}\n  condition: s\n", FLOW));
        assertTrue(matches("  s: {dport: [22, 80, 443]}\n  condition: s\n", FLOW)); // list: any
        assertTrue(matches("  s: {bytes_fwd: 1500}\n  condition: s\n", FLOW));
        assertTrue(matches("  s: {icmp_type: null}\n  condition: s\n", FLOW)); // absent
        assertFalse(matches("  s: {dport: 443, proto: udp}\n  condition: s\n", FLOW)); // map: all
        assertTrue(matches("  s: [{proto: udp}, {dport: 443}]\n  condition: s\n", FLOW)); // list of maps: any
        assertTrue(matches("  s: {dns_query: 'www.\\*'}\n  condition: not s\n", FLOW)); // escaped wildcard is literal
    }

    @Test
    void modifiers() {
        assertTrue(matches("  s: {dns_query|contains: EXAMPLE}\n  condition: s\n", FLOW));
        assertTrue(matches("  s: {dns_query|startswith: www.}\n  condition: s\n", FLOW));
        assertTrue(matches("  s: {dns_query|endswith: [.org, .com]}\n  condition: s\n", FLOW));
        assertTrue(matches("  s: {dns_query|contains|all: [www, example]}\n  condition: s\n", FLOW));
        assertFalse(matches("  s: {dns_query|contains|all: [www, evil]}\n  condition: s\n", FLOW));
        assertTrue(matches("  s: {dns_query|re: '^www\\.[A-Z][a-z]+\\.com$'}\n  condition: s\n", FLOW));
        assertFalse(matches("  s: {dns_query|re: '^www\\.example'}\n  condition: s\n", FLOW)); // re is case-sensitive
        assertTrue(matches("  s: {dport|gt: 442}\n  condition: s\n", FLOW));
        assertTrue(matches("  s: {dport|gte: 443}\n  condition: s\n", FLOW));
        assertFalse(matches("  s: {dport|lt: 443}\n  condition: s\n", FLOW));
        assertTrue(matches("  s: {dport|lte: 443}\n  condition: s\n", FLOW));
        assertFalse(matches("  s: {proto|gt: 1}\n  condition: s\n", FLOW)); // not a number: no match
        assertTrue(matches("  s: {dst|cidr: [10.0.0.0/8, 192.168.0.0/16]}\n  condition: s\n", FLOW));
        assertFalse(matches("  s: {dst|cidr: 192.168.8.0/24}\n  condition: s\n", FLOW));
        assertTrue(matches("  s: {dst|cidr: 192.168.7.8/31}\n  condition: s\n", FLOW));
        assertTrue(matches("  s: {app|exists: true}\n  condition: s\n", FLOW));
        assertTrue(matches("  s: {icmp_type|exists: false}\n  condition: s\n", FLOW));
        assertFalse(matches("  s: {dns_query|cidr: 0.0.0.0/0}\n  condition: s\n", FLOW)); // names are never resolved
        RuleInput v6 = Events.flow(0, "host:x", Map.of("dst", "2001:db8::1"));
        assertTrue(matches("  s: {dst|cidr: '2001:db8::/32'}\n  condition: s\n", v6));
        assertFalse(matches("  s: {dst|cidr: '10.0.0.0/8'}\n  condition: s\n", v6));
    }

    @Test
    void conditions() {
        String sels = "  a: {proto: tcp}\n  b: {dport: 22}\n  c: {app: https}\n  _x: {proto: udp}\n";
        assertTrue(matches(sels + "  condition: a and not b\n", FLOW));
        assertFalse(matches(sels + "  condition: a and b\n", FLOW));
        assertTrue(matches(sels + "  condition: b or c\n", FLOW));
        assertTrue(matches(sels + "  condition: not (b or _x) and a\n", FLOW));
        assertFalse(matches(sels + "  condition: not b and not c or b\n", FLOW)); // and binds tighter than or
        assertTrue(matches(sels + "  condition: 1 of them\n", FLOW));
        assertFalse(matches(sels + "  condition: all of them\n", FLOW));
        assertTrue(matches(sels + "  condition: 2 of them\n", FLOW));
        assertFalse(matches(sels + "  condition: 3 of them\n", FLOW));
        assertTrue(matches("  sel_a: {proto: tcp}\n  sel_c: {app: https}\n  other: {dport: 1}\n  condition: all of sel_*\n", FLOW));
        assertTrue(matches("  sel_a: {proto: tcp}\n  sel_c: {app: x}\n  condition: 1 of sel*\n", FLOW));
        assertTrue(matches(sels + "  condition: [b, c]\n", FLOW)); // a list of conditions: any
        assertTrue(matches(sels + "  condition: all of them and not _x\n", Events.flow(0, "h", Map.of("proto", "tcp", "dport",
                "22", "app", "https"))));
    }

    @Test
    void fieldSchemeReachesEventFeaturesAndScores() {
        assertTrue(matches("  s: {half_open_ratio_1m|gte: 0.5}\n  condition: s\n", FLOW));
        assertTrue(matches("  s: {feature.half_open_ratio_1m|gte: 0.5}\n  condition: s\n", FLOW));
        assertTrue(matches("  s: {label.proto: tcp, metric.bytes_fwd: 1500, kind: flow, entity: 'host:10.1.*'}\n  condition: s\n",
                FLOW));
        assertTrue(matches("  s: {score.iforest|gt: 0.9, model.iforest: '7'}\n  condition: s\n", FLOW));
        assertTrue(matches("  s: {score|gt: 0.9}\n  condition: s\n", FLOW));
        assertTrue(matches("  s: {id: 'test:*', agent: test, time|gt: 0}\n  condition: s\n", FLOW));
        assertFalse(matches("  s: {feature.proto: tcp}\n  condition: s\n", FLOW));
        // category score: only scored observations, of any kind
        assertTrue(matches("score", "  s: {score.iforest|gte: 0.9}\n  condition: s\n", FLOW));
        assertFalse(matches("score", "  s: {kind: flow}\n  condition: s\n", Events.flow(0, "h", Map.of())));
        // a rule of another kind does not see the event
        assertFalse(matches("dns", "  s: {proto: tcp}\n  condition: s\n", FLOW));
    }

    @Test
    void alertsCarryTheRuleAndItsEvidence() {
        SigmaEngine engine = new SigmaEngine();
        engine.load("t.yml", -1, SigmaParserTest.GOOD);
        RuleInput in = Events.at(5, "flow", "host:a", Map.of("dport", "22", "proto", "tcp"), Map.of(), Map.of("zscore", 0.5));
        List<Alert> alerts = engine.evaluate(in);
        assertEquals(1, alerts.size());
        Alert a = alerts.get(0);
        assertEquals("ssh-conn", a.rule());
        assertEquals("SSH connection", a.title());
        assertEquals(Severity.HIGH, a.severity());
        assertEquals("host:a", a.entityId());
        assertEquals(List.of(in.event().id()), a.eventIds());
        assertEquals(List.of("attack.t1021.004", "attack.lateral_movement"), a.tags());
        assertEquals(in.event().timestampNanos(), a.timestampNanos());
        assertEquals(1, a.scores().size());
        // The same event again (another detector's branch): rules that look at no score do not repeat.
        assertEquals(List.of(), engine.evaluate(RuleInput.of(in.event(), null, List.of())));
    }

    @Test
    void bareScoresAreObservationsOfKindScore() {
        SigmaEngine engine = new SigmaEngine();
        engine.load("t.yml", -1, "title: hi\nid: hi\nlevel: critical\nlogsource: {product: amoskys, category: score}\n"
                + "detection:\n  s: {score.iforest|gte: 0.95}\n  condition: s\n");
        var score = io.amoskys.api.event.Score.builder().detector("iforest").entityId("host:b").value(0.97)
                .eventIds(List.of("flow:12")).build();
        List<Alert> alerts = engine.evaluate(score);
        assertEquals(1, alerts.size());
        assertEquals(List.of("flow:12"), alerts.get(0).eventIds());
        assertEquals("host:b", alerts.get(0).entityId());
        assertEquals(Severity.CRITICAL, alerts.get(0).severity());
    }
}
