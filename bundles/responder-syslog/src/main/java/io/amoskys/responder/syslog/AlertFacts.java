package io.amoskys.responder.syslog;

import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Severity;
import io.amoskys.api.response.Action;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a message says about an alert. {@link #parameters} keeps, in the action, the alert's
 * fields that {@link Action} does not carry, capped so every message stays well below
 * {@link SyslogResponder#MAX_MESSAGE_BYTES}; a retry then sends the very same message.
 */
record AlertFacts(String actionId, String responder, String alertId, String rule, String entity,
        Severity severity, String title, List<String> tags, long timestampNanos) {
    static final int MAX_TITLE = 256;
    static final int MAX_ID = 256;
    static final int MAX_TAGS = 16;
    static final int MAX_TAG = 64;

    static Map<String, String> parameters(Alert alert) {
        List<String> tags = alert.tags().stream().limit(MAX_TAGS).map(t -> cap(t, MAX_TAG)).toList();
        return Map.of("severity", alert.severity().name(), "title", cap(alert.title(), MAX_TITLE),
                "tags", String.join(",", tags), "timestampNanos", Long.toString(alert.timestampNanos()));
    }

    /** @throws IllegalArgumentException when the action's parameters are not what {@link #parameters} made */
    static AlertFacts of(Action action) {
        Map<String, String> p = action.request().parameters();
        for (String key : List.of("severity", "title", "tags", "timestampNanos")) {
            if (!p.containsKey(key)) {
                throw new IllegalArgumentException("the action has no parameter '" + key + "'");
            }
        }
        String tags = p.get("tags");
        return new AlertFacts(action.id(), action.responder(), cap(action.alertId(), MAX_ID), cap(action.rule(), MAX_ID),
                cap(action.entityId(), MAX_ID), Severity.valueOf(p.get("severity")), cap(p.get("title"), MAX_TITLE),
                tags.isEmpty() ? List.of() : Arrays.stream(tags.split(",")).limit(MAX_TAGS).map(t -> cap(t, MAX_TAG)).toList(),
                Long.parseLong(p.get("timestampNanos")));
    }

    Instant time() {
        return Instant.ofEpochSecond(Math.floorDiv(timestampNanos, 1_000_000_000L), Math.floorMod(timestampNanos, 1_000_000_000L));
    }

    /** At most max characters, never splitting a surrogate pair. */
    static String cap(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end);
    }
}
