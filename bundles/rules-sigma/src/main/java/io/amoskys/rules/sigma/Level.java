package io.amoskys.rules.sigma;

import io.amoskys.api.event.Severity;

/** Sigma's levels and the platform's severities they become. */
enum Level {
    INFORMATIONAL(Severity.INFO),
    LOW(Severity.LOW),
    MEDIUM(Severity.MEDIUM),
    HIGH(Severity.HIGH),
    CRITICAL(Severity.CRITICAL);

    final Severity severity;

    Level(Severity severity) {
        this.severity = severity;
    }

    String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
