package io.amoskys.api.feature;

import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import java.util.ArrayList;
import java.util.List;

/**
 * Schema names spell the chain that built a vector: {@code flow:canonical.1+temporal.2+domain.2},
 * the kind, then each stage with its feature set's version. Two vectors with the same name have
 * the same columns with the same meaning.
 */
public final class FeatureSchemas {
    private FeatureSchemas() {}

    /** The first schema of a chain: the kind's columns as the first stage makes them. */
    public static FeatureSchema first(String kind, String stage, int version, List<String> columns) {
        return new FeatureSchema(kind + ":" + stage + "." + version, 1, columns);
    }

    /** The schema after a stage appended its columns to {@code input}'s. */
    public static FeatureSchema extend(FeatureSchema input, String stage, int version, List<String> added) {
        List<String> columns = new ArrayList<>(input.size() + added.size());
        columns.addAll(input.features());
        columns.addAll(added);
        return new FeatureSchema(input.name() + "+" + stage + "." + version, input.version(), columns);
    }

    /** The telemetry kind a schema's vectors are built from: its name up to the colon. */
    public static String kind(FeatureSchema schema) {
        int colon = schema.name().indexOf(':');
        return colon < 0 ? schema.name() : schema.name().substring(0, colon);
    }

    /** {@code vector}'s values followed by {@code added}, over {@code schema} (made by {@link #extend}). */
    public static FeatureVector append(FeatureVector vector, FeatureSchema schema, double[] added) {
        return vector.append(schema, added);
    }
}
