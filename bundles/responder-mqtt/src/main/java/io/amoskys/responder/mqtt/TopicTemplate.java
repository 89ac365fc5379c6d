package io.amoskys.responder.mqtt;

import io.amoskys.api.event.Alert;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A topic with {@code {{alert.FIELD}}} placeholders, parsed once. Values are made single topic
 * levels ('/', '+', '#' and NUL become '_'), so an alert can neither publish to a wildcard nor
 * move its message into another branch of the topic tree.
 */
final class TopicTemplate {
    static final Set<String> FIELDS = Set.of("alert.id", "alert.rule", "alert.severity", "alert.entity");
    static final String GROUP_BY = "alert.groupBy.";
    /** MQTT's limit: a topic is a UTF-8 string of at most 65535 bytes. */
    static final int MAX_BYTES = 65535;

    /** Literal text, or a placeholder's name. */
    private record Part(String text, boolean placeholder) {}

    private final List<Part> parts = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    TopicTemplate(String template) {
        if (template.isEmpty()) {
            problems.add("topic is empty");
            return;
        }
        if (template.startsWith("$")) {
            problems.add("topic '" + template + "' starts with $: brokers keep those topics for themselves");
        }
        int at = 0;
        while (at < template.length()) {
            int open = template.indexOf("{{", at);
            String literal = template.substring(at, open < 0 ? template.length() : open);
            if (literal.contains("+") || literal.contains("#") || literal.indexOf('\0') >= 0) {
                problems.add("topic '" + template + "' has a wildcard (+ or #) or NUL: a published topic names one topic");
                return;
            }
            parts.add(new Part(literal, false));
            if (open < 0) {
                break;
            }
            int close = template.indexOf("}}", open + 2);
            int nextOpen = template.indexOf("{{", open + 2);
            if (close < 0 || (nextOpen >= 0 && nextOpen < close)) {
                problems.add("topic: unbalanced braces, the '{{' at offset " + open + " is not closed by '}}'");
                return;
            }
            String name = template.substring(open + 2, close).strip();
            if (!FIELDS.contains(name) && !(name.startsWith(GROUP_BY) && name.length() > GROUP_BY.length())) {
                problems.add("topic: unknown placeholder {{" + name + "}} (known: " + new TreeSet<>(FIELDS)
                        + " and " + GROUP_BY + "KEY)");
            }
            parts.add(new Part(name, true));
            at = close + 2;
        }
    }

    List<String> problems() {
        return problems;
    }

    /** @throws IllegalArgumentException when the topic would be longer than MQTT allows */
    String render(Alert alert) {
        StringBuilder topic = new StringBuilder();
        for (Part part : parts) {
            topic.append(part.placeholder() ? level(value(alert, part.text())) : part.text());
        }
        int bytes = topic.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException("the topic for alert " + alert.id() + " would be " + bytes
                    + " bytes, more than MQTT's " + MAX_BYTES);
        }
        return topic.toString();
    }

    static String level(String value) {
        return value.replace('/', '_').replace('+', '_').replace('#', '_').replace('\0', '_');
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
            default: throw new IllegalStateException("unknown placeholder " + name);
        }
    }
}
