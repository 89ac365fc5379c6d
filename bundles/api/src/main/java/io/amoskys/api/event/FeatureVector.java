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
        this(schema, entityId, timestampNanos, sourceEventIds, values.clone());
    }

    /** Takes {@code owned} over (the argument order differs from the public constructor's only to tell them apart). */
    private FeatureVector(FeatureSchema schema, String entityId, long timestampNanos, List<String> sourceEventIds, double[] owned) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.entityId = Objects.requireNonNull(entityId, "entityId");
        if (owned.length != schema.size()) {
            throw new IllegalArgumentException("schema " + schema.name() + " has " + schema.size()
                    + " features but the vector has " + owned.length + " values");
        }
        this.timestampNanos = timestampNanos;
        this.values = owned;
        this.sourceEventIds = List.copyOf(sourceEventIds);
    }

    /**
     * A vector over {@code values} itself, not a copy: for stages that build a new array per
     * vector and never touch it again, which spares a copy on every stage of every event.
     *
     * @param values taken over; the caller must not change it afterwards
     * @since 1.2
     */
    public static FeatureVector wrap(
            FeatureSchema schema, String entityId, long timestampNanos, double[] values, List<String> sourceEventIds) {
        return new FeatureVector(schema, entityId, timestampNanos, sourceEventIds, values);
    }

    /** Copies the values into {@code target} from {@code offset} on (no array made). */
    public void copyTo(double[] target, int offset) {
        System.arraycopy(values, 0, target, offset, values.length);
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
