package io.amoskys.rules.sigma;

import io.amoskys.api.rule.RuleInput;
import java.util.List;

/** A named search of a detection: alternatives (a list of maps), each all of its items (a map). */
final class Selection {
    final String name;
    private final List<List<FieldMatcher>> alternatives;

    Selection(String name, List<List<FieldMatcher>> alternatives) {
        this.name = name;
        this.alternatives = List.copyOf(alternatives);
    }

    boolean matches(Fields input) {
        for (List<FieldMatcher> all : alternatives) {
            boolean ok = true;
            for (FieldMatcher m : all) {
                if (!m.matches(input)) {
                    ok = false;
                    break;
                }
            }
            if (ok) {
                return true;
            }
        }
        return false;
    }

    /** Whether any item looks at a detector's score. */
    boolean usesScores() {
        return alternatives.stream().flatMap(List::stream)
                .anyMatch(m -> m.field.equals(RuleInput.SCORE) || m.field.startsWith(RuleInput.SCORE_PREFIX)
                        || m.field.startsWith(RuleInput.MODEL_PREFIX));
    }
}
