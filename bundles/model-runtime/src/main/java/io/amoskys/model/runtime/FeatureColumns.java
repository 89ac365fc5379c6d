package io.amoskys.model.runtime;

import io.amoskys.api.event.FeatureSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a model's features sit in the vectors of one schema, and whether the schema is the one the
 * model was trained on. Vectors of a schema share its object, so both are found once per schema
 * object: the last one is checked by identity, a few others are kept (bounded, least recently used
 * first out).
 */
final class FeatureColumns {
    private static final int KEPT = 16;

    /**
     * The model's column order: column {@code i} of the model reads {@code columns[i]} of the vector;
     * {@code columns} null for a schema of another name ({@code otherSchema}) or without the feature
     * {@code missing}.
     */
    record Mapping(FeatureSchema schema, boolean otherSchema, int[] columns, String missing) {}

    private final String schemaName;
    private final List<String> features;
    private volatile Mapping last;
    private final Map<FeatureSchema, Mapping> kept = new LinkedHashMap<>(KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<FeatureSchema, Mapping> eldest) {
            return size() > KEPT;
        }
    };

    /** @param schemaName the schema the model reads (its descriptor's) */
    FeatureColumns(String schemaName, List<String> features) {
        this.schemaName = schemaName;
        this.features = features;
    }

    Mapping of(FeatureSchema schema) {
        Mapping mapping = last;
        if (mapping != null && mapping.schema() == schema) {
            return mapping;
        }
        synchronized (kept) {
            mapping = kept.computeIfAbsent(schema, this::map);
        }
        last = mapping;
        return mapping;
    }

    private Mapping map(FeatureSchema schema) {
        if (!schemaName.equals(schema.name())) {
            return new Mapping(schema, true, null, null);
        }
        int[] columns = new int[features.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = schema.indexOf(features.get(i));
            if (columns[i] < 0) {
                return new Mapping(schema, false, null, features.get(i));
            }
        }
        return new Mapping(schema, false, columns, null);
    }
}
