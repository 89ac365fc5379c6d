package io.amoskys.rules.sigma;

import io.amoskys.api.rule.RuleInput;
import java.util.Arrays;
import java.util.List;

/** A named search of a detection: alternatives (a list of maps), each all of its items (a map). */
final class Selection {
    final String name;
    /** Arrays: every rule reads its selections for every observation, and a list's iterator is an object each time. */
    private final FieldMatcher[][] alternatives;

    Selection(String name, List<List<FieldMatcher>> alternatives) {
        this.name = name;
        this.alternatives = alternatives.stream().map(all -> all.toArray(FieldMatcher[]::new)).toArray(FieldMatcher[][]::new);
    }

    boolean matches(Fields input) {
        for (FieldMatcher[] all : alternatives) {
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
        return Arrays.stream(alternatives).flatMap(Arrays::stream)
                .anyMatch(m -> m.field.equals(RuleInput.SCORE) || m.field.startsWith(RuleInput.SCORE_PREFIX)
                        || m.field.startsWith(RuleInput.MODEL_PREFIX));
    }
}
