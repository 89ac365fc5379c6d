package io.amoskys.rules.sigma;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** A Sigma detection rule: which observations it looks at (logsource) and what it looks for (detection). */
final class SigmaRule extends RuleDef {
    /** The event kinds the logsource maps to; empty for every kind. */
    final Set<String> kinds;
    /** logsource category {@code score}: only observations that carry scores. */
    final boolean needsScores;
    final boolean usesScores;
    private final Predicate<Fields> detection;

    SigmaRule(String id, String name, String title, String status, Level level, List<String> tags, String source, int line,
            long bundleId, Set<String> kinds, boolean needsScores, boolean usesScores, Predicate<Fields> detection) {
        super(id, name, title, status, level, tags, source, line, bundleId);
        this.kinds = Set.copyOf(kinds);
        this.needsScores = needsScores;
        this.usesScores = usesScores || needsScores;
        this.detection = detection;
    }

    boolean matches(Fields input) {
        if (needsScores && input.input().scores().isEmpty()) {
            return false;
        }
        return detection.test(input);
    }

    @Override
    String type() {
        return "rule";
    }
}
