package io.amoskys.core.component;

import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Severity;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which alerts a responder step hands its responder: at least a severity, any of some tags, a rule
 * and an entity matching one of some patterns ({@code *} any run of characters, {@code ?} one).
 * An empty criterion lets every alert through.
 */
record AlertFilter(Severity minSeverity, List<String> tags, List<Pattern> rules, List<Pattern> entities) {
    static final AlertFilter ALL = new AlertFilter(Severity.INFO, List.of(), List.of(), List.of());

    boolean matches(Alert alert) {
        return alert.severity().compareTo(minSeverity) >= 0
                && (tags.isEmpty() || alert.tags().stream().anyMatch(tags::contains))
                && (rules.isEmpty() || rules.stream().anyMatch(p -> p.matcher(alert.rule()).matches()))
                && (entities.isEmpty() || entities.stream().anyMatch(p -> p.matcher(alert.entityId()).matches()));
    }

    AlertFilter withMinSeverity(String text) {
        try {
            return new AlertFilter(Severity.valueOf(text.trim().toUpperCase(Locale.ROOT)), tags, rules, entities);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("minSeverity must be one of info, low, medium, high, critical; was " + text);
        }
    }

    AlertFilter withTags(String list) {
        return new AlertFilter(minSeverity, items(list), rules, entities);
    }

    AlertFilter withRules(String list) {
        return new AlertFilter(minSeverity, tags, items(list).stream().map(AlertFilter::glob).toList(), entities);
    }

    AlertFilter withEntities(String list) {
        return new AlertFilter(minSeverity, tags, rules, items(list).stream().map(AlertFilter::glob).toList());
    }

    private static List<String> items(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
