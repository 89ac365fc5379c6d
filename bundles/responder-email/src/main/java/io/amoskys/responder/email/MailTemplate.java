package io.amoskys.responder.email;

import io.amoskys.api.event.Alert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A subject or body with {@code {{alert.FIELD}}} placeholders, parsed once. In the literal text the
 * two characters {@code \n} make a line break, so a body fits on one configuration line (and in
 * metatype defaults, where XML would turn a real line break into a space).
 */
final class MailTemplate {
    static final Set<String> FIELDS = Set.of("alert.id", "alert.rule", "alert.severity", "alert.entity", "alert.title",
            "alert.tags", "alert.time", "alert.groupBy");
    static final String GROUP_BY = "alert.groupBy.";
    static final String DEFAULT_BODY = "{{alert.title}}\\n\\nSeverity: {{alert.severity}}\\nRule:     {{alert.rule}}"
            + "\\nEntity:   {{alert.entity}}\\nTime:     {{alert.time}}\\nTags:     {{alert.tags}}"
            + "\\nGrouped:  {{alert.groupBy}}\\nAlert:    {{alert.id}}\\n";

    /** Literal text, or a placeholder's name. */
    private record Part(String text, boolean placeholder) {}

    private final List<Part> parts = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    /** @param key the configuration key, to name in problems */
    MailTemplate(String key, String template) {
        int at = 0;
        while (at < template.length()) {
            int open = template.indexOf("{{", at);
            if (open < 0) {
                parts.add(literal(template.substring(at)));
                break;
            }
            int close = template.indexOf("}}", open + 2);
            int nextOpen = template.indexOf("{{", open + 2);
            if (close < 0 || (nextOpen >= 0 && nextOpen < close)) {
                problems.add(key + ": unbalanced braces, the '{{' at offset " + open + " is not closed by '}}'");
                return;
            }
            parts.add(literal(template.substring(at, open)));
            String name = template.substring(open + 2, close).strip();
            if (!FIELDS.contains(name) && !(name.startsWith(GROUP_BY) && name.length() > GROUP_BY.length())) {
                problems.add(key + ": unknown placeholder {{" + name + "}} (known: " + new TreeSet<>(FIELDS)
                        + " and " + GROUP_BY + "KEY)");
            }
            parts.add(new Part(name, true));
            at = close + 2;
        }
    }

    private static Part literal(String text) {
        return new Part(text.replace("\\n", "\n"), false);
    }

    List<String> problems() {
        return problems;
    }

    String render(Alert alert) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            out.append(part.placeholder() ? value(alert, part.text()) : part.text());
        }
        return out.toString();
    }

    private static String value(Alert alert, String name) {
        if (name.startsWith(GROUP_BY)) {
            return alert.groupBy().getOrDefault(name.substring(GROUP_BY.length()), "");
        }
        switch (name) {
            case "alert.id": return alert.id();
            case "alert.rule": return alert.rule();
            case "alert.severity": return alert.severity().name();
            case "alert.entity": return alert.entityId();
            case "alert.title": return alert.title();
            case "alert.tags": return String.join(",", alert.tags());
            case "alert.time": return time(alert);
            case "alert.groupBy": return groupBy(alert.groupBy());
            default: throw new IllegalStateException("unknown placeholder " + name);
        }
    }

    /** The alert's event time, ISO-8601 in UTC. */
    static String time(Alert alert) {
        long nanos = alert.timestampNanos();
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)).toString();
    }

    private static String groupBy(Map<String, String> values) {
        return new TreeMap<>(values).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
