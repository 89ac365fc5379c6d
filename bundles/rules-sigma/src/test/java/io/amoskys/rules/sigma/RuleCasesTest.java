package io.amoskys.rules.sigma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The regression-case harness reports what it should. */
class RuleCasesTest {
    @TempDir
    Path dir;

    @Test
    void casesPassAndFailAsTheyShould() throws Exception {
        Files.createDirectories(dir.resolve("rules/tests"));
        Files.writeString(dir.resolve("rules/ssh.yml"), SigmaParserTest.GOOD + "---\n" + """
                title: many ssh
                id: many-ssh
                level: critical
                tags: [attack.t1110]
                correlation: {type: event_count, rules: [ssh-conn], group-by: [entity], timespan: 1m, condition: {gte: 3}}
                """);
        Files.writeString(dir.resolve("rules/tests/cases.yaml"), """
                case: three connections
                events:
                  - {entity: 'host:a', repeat: 3, every: 1, labels: {dport: '22', proto: tcp}}
                expect:
                  - {rule: many-ssh, entity: 'host:a', count: 1, tags: [attack.t1110]}
                absent: [ssh-conn]
                ---
                case: wrong on purpose
                events:
                  - {entity: 'host:a', repeat: 3, every: 1, labels: {dport: '22', proto: tcp}}
                expect:
                  - {rule: many-ssh, count: 2}
                  - {rule: other, min: 1}
                absent: [many-ssh]
                max_level: high
                """);
        List<RuleCases.Case> cases = RuleCases.cases(dir.resolve("rules/tests"));
        assertEquals(2, cases.size());
        RuleCases.Outcome ok = RuleCases.run(dir.resolve("rules"), cases.get(0), null);
        assertTrue(ok.passed(), ok.failures()::toString);
        RuleCases.Outcome bad = RuleCases.run(dir.resolve("rules"), cases.get(1), null);
        assertEquals(4, bad.failures().size(), bad.failures()::toString);
        assertEquals(0, RuleCases.engine(dir.resolve("rules")).refusals().size(), "tests/ holds no rules");
    }
}
