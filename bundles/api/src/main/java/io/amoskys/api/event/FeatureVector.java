package io.amoskys.api.event;

import java.util.List;
import java.util.Objects;

/** One entity's features at one moment, in the column order of its {@link FeatureSchema}. */
public final class FeatureVector {
    private final FeatureSchema schema;
    private final String entityId;
    private final long timestampNanos;
    private final double[] values;
    private final List<String> sourceEventIds;

    /**
     * @param values copied; its length must match the schema
     * @param sourceEventIds the ids of the telemetry events the vector was built from (evidence)
     */
    public FeatureVector(
            FeatureSchema schema, String entityId, long timestampNanos, double[] values, List<String> sourceEventIds) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.entityId = Objects.requireNonNull(entityId, "entityId");
        if (values.length != schema.size()) {
            throw new IllegalArgumentException("schema " + schema.name() + " has " + schema.size()
                    + " features but the vector has " + values.length + " values");
        }
        this.timestampNanos = timestampNanos;
        this.values = values.clone();
        this.sourceEventIds = List.copyOf(sourceEventIds);
    }

    public FeatureSchema schema() {
        return schema;
    }

    public String entityId() {
        return entityId;
    }

    public long timestampNanos() {
        return timestampNanos;
    }

    /** The value in column {@code index}. */
    public double get(int index) {
        return values[index];
    }

    /** The value of the named feature; NaN when the schema has no such feature. */
    public double get(String feature) {
        int index = schema.indexOf(feature);
        return index < 0 ? Double.NaN : values[index];
    }

    /** A copy of the values. */
    public double[] toArray() {
        return values.clone();
    }

    public int size() {
        return values.length;
    }

    public List<String> sourceEventIds() {
        return sourceEventIds;
    }

    @Override
    public String toString() {
        return "FeatureVector[" + schema.name() + " " + entityId + " " + values.length + " values]";
    }
}
