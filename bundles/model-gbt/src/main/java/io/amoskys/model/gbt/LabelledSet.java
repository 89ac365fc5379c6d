package io.amoskys.model.gbt;

import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Labelled training vectors: each row with its group (the capture it came from, so that
 * evaluation can leave whole captures out) and its category (MANIFEST.tsv's: {@code benign...} is
 * label 0, anything else an attack, label 1). All rows are of one schema, as float32 (the model's
 * input type). Left out and counted, as the feature export does: a vector with a value that is
 * not finite in float32 (the runtime refuses those too) and a vector of another schema than the first.
 */
public final class LabelledSet {
    private final List<float[]> rows = new ArrayList<>();
    private final List<String> groups = new ArrayList<>();
    private final List<String> categories = new ArrayList<>();
    private final List<String> sources = new ArrayList<>();
    private FeatureSchema schema;
    private long notFinite;
    private long otherSchemas;

    /** 1 for an attack category, 0 for one that starts with {@code benign}. */
    public static int label(String category) {
        return category.startsWith("benign") ? 0 : 1;
    }

    /** A sink for one group's vectors, e.g. {@code Exports.vectors(decoder, capture, "flow", set.sink(file, category))}. */
    public Consumer<FeatureVector> sink(String group, String category) {
        return vector -> add(group, category, vector);
    }

    public void add(String group, String category, FeatureVector vector) {
        if (schema == null) {
            schema = vector.schema();
        } else if (!schema.equals(vector.schema())) {
            otherSchemas++;
            return;
        }
        float[] row = new float[vector.size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = (float) vector.get(i);
            if (!Float.isFinite(row[i])) {
                notFinite++;
                return;
            }
        }
        rows.add(row);
        groups.add(group);
        categories.add(category);
    }

    /** Notes where rows came from (one line per source), for the model's provenance. */
    public void source(String description) {
        sources.add(description);
    }

    public FeatureSchema schema() {
        return schema;
    }

    public int size() {
        return rows.size();
    }

    public float[][] rows() {
        return rows.toArray(float[][]::new);
    }

    public int[] labels() {
        return categories.stream().mapToInt(LabelledSet::label).toArray();
    }

    public List<String> groups() {
        return List.copyOf(groups);
    }

    public List<String> categories() {
        return List.copyOf(categories);
    }

    public List<String> sources() {
        return List.copyOf(sources);
    }

    public long notFinite() {
        return notFinite;
    }

    public long otherSchemas() {
        return otherSchemas;
    }

    /** Rows per category, sorted by name. */
    public Map<String, Long> rowsPerCategory() {
        Map<String, Long> counts = new TreeMap<>();
        categories.forEach(c -> counts.merge(c, 1L, Long::sum));
        return counts;
    }
}
