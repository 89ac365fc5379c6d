package io.amoskys.api.feature;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One feature, as documented in docs/FEATURES.md.
 *
 * @param name column name, stable across releases of its feature set: lower case, digits and
 *     underscores (for example {@code flows_rate_10s})
 * @param kind the telemetry kind whose vectors carry it ({@code flow}, {@code dns}, {@code process}, ...)
 * @param entity what the vector describes: {@code host}, {@code process}, {@code device}, {@code sensor}
 * @param unit the unit of the value ({@code 1/s}, {@code bytes}, {@code bits}, {@code ratio}, {@code count}, ...)
 * @param window the time window or time constant it summarises ({@code 10s}), or empty when it
 *     describes the event alone
 * @param definition one or two sentences saying how it is computed
 */
public record FeatureDefinition(String name, String kind, String entity, String unit, String window, String definition) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    public FeatureDefinition {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("feature name '" + name + "' must be lower case letters, digits and underscores");
        }
        for (String field : new String[] {kind, entity, unit, definition}) {
            if (field == null || field.isBlank()) {
                throw new IllegalArgumentException("feature " + name + " needs a kind, entity, unit and definition");
            }
        }
        window = window == null ? "" : window;
    }
}
