package io.amoskys.api.event;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One entity's features at one moment, in the column order of its {@link FeatureSchema}.
 * Immutable: the values a vector shows never change.
 */
public final class FeatureVector {
    private static final AtomicIntegerFieldUpdater<FeatureVector> EXTENDED =
            AtomicIntegerFieldUpdater.newUpdater(FeatureVector.class, "extended");

    private final FeatureSchema schema;
    private final String entityId;
    private final long timestampNanos;
    /** The values are {@code values[0..size)}; past that, room that {@link #append} may fill for a longer vector. */
    private final double[] values;
    private final int size;
    private final List<String> sourceEventIds;
    /** 1 once the room past {@link #size} went to an appended vector: a second append copies. */
    private volatile int extended;

    /**
     * @param values copied; its length must match the schema
     * @param sourceEventIds the ids of the telemetry events the vector was built from (evidence)
     */
    public FeatureVector(
            FeatureSchema schema, String entityId, long timestampNanos, double[] values, List<String> sourceEventIds) {
        this(schema, entityId, timestampNanos, sourceEventIds, values.clone(), values.length);
    }

    /** Takes {@code owned} over, of which the first {@code size} values are the vector's. */
    private FeatureVector(FeatureSchema schema, String entityId, long timestampNanos, List<String> sourceEventIds,
                          double[] owned, int size) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.entityId = Objects.requireNonNull(entityId, "entityId");
        if (size != schema.size()) {
            throw new IllegalArgumentException("schema " + schema.name() + " has " + schema.size()
                    + " features but the vector has " + size + " values");
        }
        this.timestampNanos = timestampNanos;
        this.values = owned;
        this.size = size;
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
        return new FeatureVector(schema, entityId, timestampNanos, sourceEventIds, values, values.length);
    }

    /**
     * This vector's values followed by {@code added}, over {@code schema}, with this vector's
     * entity, time and source events: what a stage returns when it appends its columns. The first
     * append to a vector may write into room past this vector's values in the same array, so a
     * chain of stages does not copy every vector again; this vector's own values never change.
     *
     * @param added copied
     * @throws IllegalArgumentException when {@code schema} does not have {@code size() + added.length} features
     * @since 1.5
     */
    public FeatureVector append(FeatureSchema schema, double[] added) {
        int longer = size + added.length;
        if (schema.size() != longer) {
            throw new IllegalArgumentException("schema " + schema.name() + " has " + schema.size()
                    + " features but the vector appended to would have " + longer + " values");
        }
        double[] target;
        if (values.length >= longer && EXTENDED.compareAndSet(this, 0, 1)) {
            target = values;
        } else {
            // Room for the stages still to come: a chain's vectors grow to 2 to 4 times the first one.
            target = new double[longer * 2 + 16];
            System.arraycopy(values, 0, target, 0, size);
        }
        System.arraycopy(added, 0, target, size, added.length);
        return new FeatureVector(schema, entityId, timestampNanos, sourceEventIds, target, longer);
    }

    /** Copies the values into {@code target} from {@code offset} on (no array made). */
    public void copyTo(double[] target, int offset) {
        System.arraycopy(values, 0, target, offset, size);
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
        return values[Objects.checkIndex(index, size)];
    }

    /** The value of the named feature; NaN when the schema has no such feature. */
    public double get(String feature) {
        int index = schema.indexOf(feature);
        return index < 0 ? Double.NaN : values[index]; // the schema's index is below size
    }

    /** A copy of the values. */
    public double[] toArray() {
        return Arrays.copyOf(values, size);
    }

    public int size() {
        return size;
    }

    public List<String> sourceEventIds() {
        return sourceEventIds;
    }

    @Override
    public String toString() {
        return "FeatureVector[" + schema.name() + " " + entityId + " " + size + " values]";
    }
}
