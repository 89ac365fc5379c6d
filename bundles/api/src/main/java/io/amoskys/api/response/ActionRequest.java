package io.amoskys.api.response;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One action a responder proposes: a verb ({@code block}, {@code notify}, {@code kill}), its
 * target, the parameters the responder will need to carry it out (kept in the durable queue and
 * the receipt, so keep them small and free of secrets), and how long it lasts before the
 * platform undoes it.
 */
public final class ActionRequest {
    private final String verb;
    private final Target target;
    private final Map<String, String> parameters;
    private final Duration lasts;
    private final String description;

    private ActionRequest(String verb, Target target, Map<String, String> parameters, Duration lasts, String description) {
        this.verb = requireText(verb, "verb");
        this.target = Objects.requireNonNull(target, "target");
        this.parameters = Collections.unmodifiableSortedMap(new TreeMap<>(parameters));
        this.lasts = lasts;
        if (lasts != null && (lasts.isNegative() || lasts.isZero())) {
            throw new IllegalArgumentException("an action lasts a positive time or until undone, was " + lasts);
        }
        this.description = requireText(description, "description");
    }

    /**
     * @param description a sentence saying what would be done, for the operator and the receipt
     */
    public static ActionRequest of(String verb, Target target, String description) {
        return new ActionRequest(verb, target, Map.of(), null, description);
    }

    /** The same request with these parameters. */
    public ActionRequest withParameters(Map<String, String> parameters) {
        return new ActionRequest(verb, target, parameters, lasts, description);
    }

    /** The same request, undone by the platform this long after it ran. */
    public ActionRequest lasting(Duration lasts) {
        return new ActionRequest(verb, target, parameters, lasts, description);
    }

    public String verb() {
        return verb;
    }

    public Target target() {
        return target;
    }

    /** Sorted by name. */
    public Map<String, String> parameters() {
        return parameters;
    }

    /** @return {@code null} when the action lasts until an operator undoes it */
    public Duration lasts() {
        return lasts;
    }

    public String description() {
        return description;
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("an action request needs a " + name);
        }
        return value;
    }

    @Override
    public String toString() {
        return verb + " " + target + (lasts == null ? "" : " for " + lasts) + ": " + description;
    }
}
