package io.amoskys.api.feature;

import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The schemas a stage's output takes, one per input schema, made once and shared: a stage calls
 * {@link #append} on every vector. An input schema belongs to one kind (its name starts with it),
 * so the cache is keyed by the input schema alone. Thread-safe; holds at most {@value #MAX_CACHED} schemas (a
 * stream has a handful) and past that makes them afresh rather than grow.
 */
public final class AppendedSchemas {
    static final int MAX_CACHED = 1024;

    private final FeatureSet set;
    private final Map<FeatureSchema, FeatureSchema> byInput = new ConcurrentHashMap<>();

    public AppendedSchemas(FeatureSet set) {
        this.set = set;
    }

    /** The schema of {@code input}'s columns followed by this stage's columns for {@code kind}. */
    public FeatureSchema of(String kind, FeatureSchema input) {
        FeatureSchema known = byInput.get(input);
        if (known != null) {
            return known;
        }
        FeatureSchema made = FeatureSchemas.extend(input, set.stage(), set.version(), set.columns(kind));
        if (byInput.size() < MAX_CACHED) {
            byInput.putIfAbsent(input, made);
        }
        return made;
    }

    /**
     * {@code input} with {@code added} (this stage's columns for {@code kind}, in order) appended.
     *
     * @throws IllegalStateException when {@code added} is not as long as the stage declares for the kind
     */
    public FeatureVector append(String kind, FeatureVector input, double[] added) {
        FeatureSchema schema = of(kind, input.schema());
        if (schema.size() != input.size() + added.length) {
            throw new IllegalStateException("stage " + set.stage() + " declares " + (schema.size() - input.size())
                    + " columns for kind " + kind + " but computed " + added.length);
        }
        return FeatureSchemas.append(input, schema, added);
    }
}
