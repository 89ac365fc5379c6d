package io.amoskys.model.iforest;

import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The vectors a model is trained on, gathered from one or more sources: all of one schema, as
 * float32 (the model's input type), at most {@code maxRows} of them kept by reservoir sampling.
 * Left out and counted: a vector with a value that is not finite in float32, and a vector of
 * another schema than the first (kinds without declared columns have one schema per metric set;
 * a stage updated meanwhile changes it), as the feature export does.
 */
public final class TrainingSet implements Consumer<FeatureVector> {
    public static final int DEFAULT_MAX_ROWS = 100_000;

    private final Reservoir reservoir;
    private final List<String> sources = new ArrayList<>();
    private FeatureSchema schema;
    private long notFinite;
    private long otherSchemas;

    public TrainingSet(int maxRows, long seed) {
        this.reservoir = new Reservoir(maxRows, seed);
    }

    @Override
    public void accept(FeatureVector vector) {
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
        reservoir.offer(row);
    }

    /** Notes where vectors came from (one line per source), for the model's provenance. */
    public void source(String description) {
        sources.add(description);
    }

    /** The schema of the vectors, or null before the first. */
    public FeatureSchema schema() {
        return schema;
    }

    public List<String> sources() {
        return List.copyOf(sources);
    }

    /** Usable vectors seen (before sampling). */
    public long vectors() {
        return reservoir.offered();
    }

    public long notFinite() {
        return notFinite;
    }

    public long otherSchemas() {
        return otherSchemas;
    }

    float[][] rows() {
        return reservoir.rows();
    }
}
