package io.amoskys.rules.sigma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading rule files: what loads, and every reason a rule is refused, with its line. */
class SigmaParserTest {
    static final String GOOD = """
            title: SSH connection
            id: ssh-conn
            status: test
            level: high
            tags: [attack.t1021.004, attack.lateral_movement]
            logsource: {product: amoskys, category: flow}
            detection:
              selection:
                dport: 22
                proto: tcp
              condition: selection
            """;

    private static RuleRefusal onlyRefusal(String yaml) {
        SigmaEngine engine = new SigmaEngine();
        List<RuleRefusal> refused = engine.load("rules/x.yml", -1, yaml);
        assertEquals(1, refused.size(), () -> "refusals: " + refused);
        return refused.get(0);
    }

    @Test
    void aGoodRuleLoadsWithItsMetadata() {
        SigmaEngine engine = new SigmaEngine();
        assertEquals(List.of(), engine.load("rules/x.yml", -1, GOOD));
        RuleStatus s = SigmaRulesComponent.statusOf(engine).get(0);
        assertEquals("ssh-conn", s.id());
        assertEquals("high", s.level());
        assertEquals("test", s.status());
        assertEquals(List.of("attack.t1021.004", "attack.lateral_movement"), s.tags());
        assertEquals("rules/x.yml", s.source());
        assertEquals(1, s.line());
    }

    @Test
    void multiDocumentFilesLoadEachDocumentAndRefuseOnlyTheBadOne() {
        SigmaEngine engine = new SigmaEngine();
        String yaml = GOOD + "---\n" + GOOD.replace("ssh-conn", "ssh-conn-2").replace("level: high", "level: severe") + "---\n"
                + GOOD.replace("ssh-conn", "ssh-conn-3");
        List<RuleRefusal> refused = engine.load("rules/x.yml", -1, yaml);
        assertEquals(1, refused.size());
        assertEquals(16, refused.get(0).line()); // the second document's level (its line in the file)
        assertEquals("SSH connection", refused.get(0).rule());
        assertEquals(2, engine.size());
        assertEquals(2, engine.evaluate(Events.flow(0, "host:a", Map.of("dport", "22", "proto", "tcp"))).size());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing title             | 'title: x'                 | ''                        | 1  | needs a 'title'
            bad level                 | 'level: high'              | 'level: severe'           | 4  | level 'severe'
            bad status                | 'status: test'             | 'status: beta'            | 3  | status 'beta'
            bad tag                   | 'attack.lateral_movement'  | 'Attack.Lateral'          | 5  | tag 'Attack.Lateral'
            bad technique             | 'attack.t1021.004'         | 'attack.t10'              | 5  | not an ATT&CK technique
            other product             | 'product: amoskys'         | 'product: windows'        | 6  | product 'windows'
            unknown category          | 'category: flow'           | 'category: syslog'        | 6  | category 'syslog'
            unknown modifier          | 'dport: 22'                | 'dport|base64: 22'        | 9  | unknown modifier 'base64'
            two modifiers             | 'dport: 22'                | 'dport|contains|re: 22'   | 9  | combines modifiers
            gt needs a number         | 'dport: 22'                | 'dport|gt: many'          | 9  | is not one
            bad regex                 | 'dport: 22'                | 'dport|re: ''(22'''       | 9  | invalid regular expression
            bad cidr                  | 'proto: tcp'               | 'dst|cidr: 10.0.0.0/33'   | 10 | prefix length
            exists needs a boolean    | 'proto: tcp'               | 'dst|exists: yes please'  | 10 | true or false
            unknown selection         | 'condition: selection'     | 'condition: selection and other' | 11 | 'other' is not a selection
            unbalanced parentheses    | 'condition: selection'     | 'condition: (selection'   | 11 | not closed
            empty pattern             | 'condition: selection'     | 'condition: 1 of filter*' | 11 | matches no selection
            aggregation               | 'condition: selection'     | 'condition: selection | count() > 5' | 11 | deprecated
            nested map                | 'proto: tcp'               | 'proto: {a: b}'           | 10 | nested mapping
            keywords                  | 'selection:'               | 'selection: [evil]'       | 8  | keyword searches
            """)
    void refusalsNameTheLineAndTheReason(String what, String from, String to, int line, String reason) {
        String yaml = from.equals("title: x") ? GOOD.replace("title: SSH connection\n", "") : GOOD.replace(from, to);
        if (what.equals("keywords")) {
            yaml = GOOD.replace("  selection:\n    dport: 22\n    proto: tcp\n", "  selection: [evil]\n");
        }
        RuleRefusal r = onlyRefusal(yaml);
        assertEquals(line, r.line(), () -> what + ": " + r);
        assertTrue(r.reason().contains(reason), () -> what + ": " + r.reason());
        assertEquals("rules/x.yml", r.source());
    }

    @Test
    void brokenYamlIsRefusedAtItsLine() {
        RuleRefusal r = onlyRefusal("title: x\nlogsource: {product: amoskys\ndetection:\n  a: [\n");
        assertTrue(r.reason().startsWith("not valid YAML"), r::reason);
        assertTrue(r.line() >= 3, r::toString);
    }

    @Test
    void duplicateKeysAndIdsAreRefused() {
        RuleRefusal r = onlyRefusal(GOOD.replace("level: high\n", "level: high\nlevel: low\n"));
        assertEquals(5, r.line());
        assertTrue(r.reason().contains("appears twice"));
        SigmaEngine engine = new SigmaEngine();
        engine.load("a.yml", -1, GOOD);
        List<RuleRefusal> refused = engine.load("b.yml", -1, GOOD);
        assertEquals(1, refused.size());
        assertTrue(refused.get(0).reason().contains("already taken by a.yml:1"), refused.get(0)::reason);
        assertEquals(1, engine.size());
    }

    @Test
    void correlationRefusals() {
        String base = """
                title: many ssh
                id: many-ssh
                correlation:
                  type: event_count
                  rules: [ssh-conn]
                  group-by: [entity]
                  timespan: 1m
                  condition: {gte: 5}
                """;
        SigmaEngine engine = new SigmaEngine();
        engine.load("a.yml", -1, GOOD);
        assertEquals(List.of(), engine.load("c.yml", -1, base));
        record Bad(String from, String to, int line, String reason) {}
        for (Bad b : List.of(
                new Bad("type: event_count", "type: event_sum", 4, "type 'event_sum'"),
                new Bad("timespan: 1m", "timespan: 1 minute", 7, "timespan '1 minute'"),
                new Bad("condition: {gte: 5}", "condition: {more: 5}", 8, "condition 'more'"),
                new Bad("condition: {gte: 5}", "condition: {gte: five}", 8, "needs a number"),
                new Bad("  condition: {gte: 5}\n", "", 4, "needs a condition"),
                new Bad("rules: [ssh-conn]", "rules: [nope]", 5, "refers to rule 'nope'"),
                new Bad("type: event_count", "type: value_count", 8, "needs 'field'"),
                new Bad("type: event_count", "type: temporal", 5, "at least two rules"),
                new Bad("rules: [ssh-conn]", "rules: [many-ssh]", 5, "refers back"))) {
            SigmaEngine e = new SigmaEngine();
            e.load("a.yml", -1, GOOD);
            List<RuleRefusal> refused = e.load("c.yml", -1, base.replace(b.from, b.to));
            assertEquals(1, refused.size(), () -> b + ": " + refused);
            assertEquals(b.line, refused.get(0).line(), () -> b + ": " + refused);
            assertTrue(refused.get(0).reason().contains(b.reason), () -> b + ": " + refused);
            assertEquals(1, e.size(), "the good rule stays in force");
        }
    }

    @Test
    void aCorrelationWaitsForItsRuleAndGoesWhenItGoes() {
        SigmaEngine engine = new SigmaEngine();
        String corr = "title: c\nid: c\ncorrelation: {type: event_count, rules: [ssh-conn], timespan: 1m, condition: {gte: 2}}\n";
        assertEquals(1, engine.load("c.yml", -1, corr).size());
        engine.load("a.yml", -1, GOOD);
        assertEquals(2, engine.size());
        assertEquals(List.of(), engine.refusals());
        engine.unload("a.yml");
        assertEquals(0, engine.size());
        assertEquals(1, engine.refusals().size());
    }
}
