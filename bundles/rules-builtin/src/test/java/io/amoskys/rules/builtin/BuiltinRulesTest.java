package io.amoskys.rules.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.amoskys.rules.sigma.RuleCases;
import io.amoskys.rules.sigma.SigmaEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The pack's regression cases ({@code rules/tests/*.yaml}), run by the Sigma engine's harness:
 * events written in the cases, and the shared captures replayed through the flow agent and the
 * five stages ({@link CaptureReplayer}).
 */
class BuiltinRulesTest {
    static final Path RULES = Path.of("src/main/resources/rules");

    @Test
    void everyRuleLoads() throws IOException {
        SigmaEngine engine = RuleCases.engine(RULES);
        assertEquals(List.of(), engine.refusals());
        assertEquals(49, engine.size(), "26 alerting rules and 23 signals");
    }

    @TestFactory
    Stream<DynamicTest> cases() throws IOException {
        return RuleCases.tests(RULES, RULES.resolve("tests"), new CaptureReplayer());
    }
}
