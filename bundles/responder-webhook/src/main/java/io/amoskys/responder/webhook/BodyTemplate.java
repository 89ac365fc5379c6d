package io.amoskys.responder.webhook;

import io.amoskys.response.support.AlertJson;
import io.amoskys.api.event.Alert;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.camel.util.json.Jsoner;

/**
 * A body with {@code {{alert.FIELD}}} placeholders, parsed once. Only "{{" opens a placeholder:
 * a lone "}}" is ordinary text, as it ends nested JSON objects.
 */
final class BodyTemplate {
    static final Set<String> FIELDS = Set.of("alert.id", "alert.rule", "alert.severity", "alert.entity", "alert.title",
            "alert.tags", "alert.time", "alert.json");
    static final String GROUP_BY = "alert.groupBy.";

    /** Literal text, or a placeholder's name. */
    private record Part(String text, boolean placeholder) {}

    private final List<Part> parts = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    BodyTemplate(String template) {
        int at = 0;
        while (at < template.length()) {
            int open = template.indexOf("{{", at);
            if (open < 0) {
                parts.add(new Part(template.substring(at), false));
                break;
            }
            int close = template.indexOf("}}", open + 2);
            int nextOpen = template.indexOf("{{", open + 2);
            if (close < 0 || (nextOpen >= 0 && nextOpen < close)) {
                problems.add("template: unbalanced braces, the '{{' at offset " + open + " is not closed by '}}'");
                return;
            }
            parts.add(new Part(template.substring(at, open), false));
            String name = template.substring(open + 2, close).strip();
            if (!FIELDS.contains(name) && !(name.startsWith(GROUP_BY) && name.length() > GROUP_BY.length())) {
                problems.add("template: unknown placeholder {{" + name + "}} (known: " + new java.util.TreeSet<>(FIELDS)
                        + " and " + GROUP_BY + "KEY)");
            }
            parts.add(new Part(name, true));
            at = close + 2;
        }
    }

    List<String> problems() {
        return problems;
    }

    /** How a value is written into the body, by the body's content type. */
    enum Escaping {
        /** As JSON string content: the value cannot end its string. */
        JSON,
        /** URL-encoded: the value cannot add a field of a form body. */
        FORM,
        /** As it is (plain text). */
        NONE;

        static Escaping forContentType(String contentType) {
            String type = contentType.toLowerCase(java.util.Locale.ROOT);
            return type.contains("json") ? JSON : type.startsWith("application/x-www-form-urlencoded") ? FORM : NONE;
        }

        String escape(String value) {
            return switch (this) {
                case JSON -> Jsoner.escape(value);
                case FORM -> java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
                case NONE -> value;
            };
        }
    }

    String render(Alert alert, Escaping escaping) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (!part.placeholder()) {
                out.append(part.text());
            } else if (part.text().equals("alert.json")) {
                out.append(escaping == Escaping.FORM ? escaping.escape(AlertJson.of(alert)) : AlertJson.of(alert));
            } else {
                out.append(escaping.escape(value(alert, part.text())));
            }
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
            case "alert.time": return AlertJson.time(alert);
            default: throw new IllegalStateException("unknown placeholder " + name);
        }
    }
}
