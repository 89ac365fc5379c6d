package io.amoskys.junction;

import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Severity;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The one line an operator reads first: who, how risky, and which evidence weighed most. */
final class Explanations {
    private static final int PARTS_SHOWN = 3;

    private Explanations() {}

    static String title(String entity, double risk, Severity severity, ThreatFusion.Fused fused, List<Alert> ruleHits) {
        StringBuilder title = new StringBuilder(String.format(Locale.ROOT, "%s: threat %.3f (%s)", entity, risk,
                severity.name().toLowerCase(Locale.ROOT)));
        if (fused != null && !fused.parts().isEmpty()) {
            title.append(" from ").append(fused.parts().stream().limit(PARTS_SHOWN)
                    .map(p -> String.format(Locale.ROOT, "%s %.2f (threshold %.2f, %+.1f)", p.detector(), p.score(), p.threshold(), p.logOdds()))
                    .collect(Collectors.joining(", ")));
        }
        if (!ruleHits.isEmpty()) {
            title.append("; rules ").append(ruleHits.stream().map(Alert::rule).distinct().collect(Collectors.joining(", ")));
        }
        return title.toString();
    }
}
