package io.amoskys.alerts.internal;

import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Contribution;
import io.amoskys.api.event.Score;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What drove an alert, in words, from its evidence: each score with its detector, model version
 * and value, and the contributions that weighed most (for the score junction's fused score, the
 * detectors and rule hits behind it; for a model's score, its top features). One line per score.
 */
final class Explanations {
    static final int MOST_SCORES = 8;
    static final int MOST_CONTRIBUTIONS = 3;

    private Explanations() {}

    /** Null when the alert has no scores to explain it. */
    static String of(Alert alert) {
        if (alert.scores().isEmpty()) {
            return null;
        }
        List<String> lines = new ArrayList<>();
        for (Score s : alert.scores()) {
            if (lines.size() == MOST_SCORES) {
                lines.add("... and " + (alert.scores().size() - MOST_SCORES) + " more scores");
                break;
            }
            StringBuilder b = new StringBuilder();
            b.append(s.detector()).append(' ').append(s.modelVersion()).append(": ")
                    .append(String.format(Locale.ROOT, "%.3f", s.value()));
            List<Contribution> top = s.topContributions().stream().limit(MOST_CONTRIBUTIONS).toList();
            if (!top.isEmpty()) {
                b.append(" from ");
                for (int i = 0; i < top.size(); i++) {
                    Contribution c = top.get(i);
                    b.append(i == 0 ? "" : ", ").append(c.feature()).append(" = ").append(number(c.value()))
                            .append(String.format(Locale.ROOT, " (weight %.3g)", c.weight()));
                }
            }
            lines.add(Text.oneLine(b.toString()));
        }
        return String.join("\n", lines);
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }
}
