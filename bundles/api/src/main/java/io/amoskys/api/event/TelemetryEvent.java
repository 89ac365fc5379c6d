package io.amoskys.api.event;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * One observation from an agent about one entity.
 *
 * <p>{@code labels} describe the entity (process name, executable, user; interface name);
 * {@code metrics} are the measured numbers. Both are immutable and iterate in name order; what
 * the builder was given one by one is copied, an array of metrics given whole is taken over
 * ({@link Builder#metrics(MetricNames, double[])}). The pair
 * (agentId, sequence) identifies an event; {@link #id()} spells it.
 *
 * <p>Metrics are kept as {@link MetricNames} and a {@code double[]}: hot paths read them by index
 * ({@link #metricNames()}, {@link #metricValue(int)}); {@link #metrics()} is a view of the two.
 * Labels are kept as two arrays in name order, not a tree: an event is read a few times soon after
 * it is made, when a tree's nodes, one per label, are as many cache misses.
 */
public final class TelemetryEvent {
    private final String agentId;
    private final long sequence;
    private final String entityId;
    private final String kind;
    private final long timestampNanos;
    private final Map<String, String> labels;
    private final MetricNames metricNames;
    private final double[] metricValues;
    private final Map<String, Double> metrics;

    private TelemetryEvent(Builder b) {
        this.agentId = require(b.agentId, "agentId");
        this.entityId = require(b.entityId, "entityId");
        this.kind = require(b.kind, "kind");
        if (b.sequence < 0) {
            throw new IllegalArgumentException("sequence must be >= 0, was " + b.sequence);
        }
        this.sequence = b.sequence;
        this.timestampNanos = b.timestampNanos;
        // The builder hands its label arrays over and copies them if it is used again (see Builder).
        this.labels = b.takeLabels();
        if (b.names != null) {
            this.metricNames = b.names;
            this.metricValues = b.values; // the builder's caller gave it up (see Builder.metrics)
        } else {
            this.metricNames = MetricNames.ofSorted(b.metrics.keySet().toArray(new String[0]));
            this.metricValues = new double[metricNames.size()];
            int i = 0;
            for (Double value : b.metrics.values()) {
                metricValues[i++] = value;
            }
        }
        this.metrics = new MetricView(metricNames, metricValues);
    }

    private static String require(String value, String field) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("telemetry event needs a non-empty " + field);
        }
        return value;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code agentId:sequence}, unique per event. */
    public String id() {
        return agentId + ":" + sequence;
    }

    public String agentId() {
        return agentId;
    }

    public long sequence() {
        return sequence;
    }

    public String entityId() {
        return entityId;
    }

    /** The telemetry kind, one of {@link EventKinds} or a vendor's own. */
    public String kind() {
        return kind;
    }

    /** Nanoseconds since the epoch when the observation was made. */
    public long timestampNanos() {
        return timestampNanos;
    }

    public Map<String, String> labels() {
        return labels;
    }

    /** The metrics by name, in name order: an immutable view of {@link #metricNames()} and their values. */
    public Map<String, Double> metrics() {
        return metrics;
    }

    /**
     * The names of the metrics; the events an agent builds on one {@link MetricNames} share it.
     *
     * @since 1.5
     */
    public MetricNames metricNames() {
        return metricNames;
    }

    /**
     * The value of the metric at {@code index} of {@link #metricNames()}.
     *
     * @since 1.5
     */
    public double metricValue(int index) {
        return metricValues[index];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TelemetryEvent other
                && sequence == other.sequence
                && timestampNanos == other.timestampNanos
                && agentId.equals(other.agentId)
                && entityId.equals(other.entityId)
                && kind.equals(other.kind)
                && labels.equals(other.labels)
                && metrics.equals(other.metrics);
    }

    @Override
    public int hashCode() {
        return Objects.hash(agentId, sequence, entityId, kind, timestampNanos);
    }

    @Override
    public String toString() {
        return "TelemetryEvent[" + id() + " " + kind + " " + entityId + " " + labels + " " + metrics + "]";
    }

    /** Builds events; not thread-safe. */
    public static final class Builder {
        private static final int INITIAL_LABELS = 8;

        private String agentId;
        private long sequence;
        private String entityId;
        private String kind;
        private long timestampNanos;
        /** The labels in name order: names[0..labelCount) and their values. */
        private String[] labelNames = new String[INITIAL_LABELS];
        private String[] labelValues = new String[INITIAL_LABELS];
        private int labelCount;
        private TreeMap<String, Double> metrics = new TreeMap<>();
        /** Metrics given whole ({@link #metrics(MetricNames, double[])}); null while they are in the map. */
        private MetricNames names;
        private double[] values;
        /** Set once build() took the labels: the next change works on a copy, so built events never change. */
        private boolean handedOver;

        private Builder() {}

        private LabelView takeLabels() {
            if (labelCount == 0) {
                return LabelView.NONE;
            }
            handedOver = true;
            return new LabelView(labelNames, labelValues, labelCount);
        }

        public Builder agentId(String agentId) {
            this.agentId = agentId;
            return this;
        }

        public Builder sequence(long sequence) {
            this.sequence = sequence;
            return this;
        }

        public Builder entityId(String entityId) {
            this.entityId = entityId;
            return this;
        }

        public Builder kind(String kind) {
            this.kind = kind;
            return this;
        }

        public Builder timestampNanos(long timestampNanos) {
            this.timestampNanos = timestampNanos;
            return this;
        }

        public Builder label(String name, String value) {
            Objects.requireNonNull(name);
            Objects.requireNonNull(value);
            int at = labelCount == 0 || labelNames[labelCount - 1].compareTo(name) < 0
                    ? -labelCount - 1 // agents often give labels in name order
                    : Arrays.binarySearch(labelNames, 0, labelCount, name);
            int length = at >= 0 || labelCount < labelNames.length ? labelNames.length : 2 * labelNames.length;
            if (handedOver || length != labelNames.length) { // an event holds the arrays, or they are full
                labelNames = Arrays.copyOf(labelNames, length);
                labelValues = Arrays.copyOf(labelValues, length);
                handedOver = false;
            }
            if (at >= 0) {
                labelValues[at] = value;
                return this;
            }
            int insert = -at - 1;
            System.arraycopy(labelNames, insert, labelNames, insert + 1, labelCount - insert);
            System.arraycopy(labelValues, insert, labelValues, insert + 1, labelCount - insert);
            labelNames[insert] = name;
            labelValues[insert] = value;
            labelCount++;
            return this;
        }

        public Builder metric(String name, double value) {
            if (names != null) { // the array form becomes a map; the array, maybe in an event already, is left alone
                metrics = new TreeMap<>();
                for (int i = 0; i < names.size(); i++) {
                    metrics.put(names.name(i), values[i]);
                }
                names = null;
                values = null;
            }
            metrics.put(Objects.requireNonNull(name), value);
            return this;
        }

        /**
         * Replaces the metrics set so far with {@code values}, in the order of {@code names}: the
         * fast way for an agent that sends the same metrics every time.
         *
         * @param values taken over, not copied: the caller must not change it afterwards
         * @throws IllegalArgumentException when the lengths differ
         * @since 1.5
         */
        public Builder metrics(MetricNames names, double[] values) {
            if (values.length != names.size()) {
                throw new IllegalArgumentException(names.size() + " metric names " + names + " but " + values.length + " values");
            }
            this.names = names; // the map of metrics set one by one is left behind (see metric)
            this.values = values;
            return this;
        }

        public TelemetryEvent build() {
            return new TelemetryEvent(this);
        }
    }

    /**
     * An immutable map in name order over names and values kept by index: the label and metric
     * views share their reads, and neither makes an entry per name except through entrySet().
     */
    private abstract static class IndexedView<V> extends AbstractMap<String, V> {
        /** Where {@code name} is, negative when absent. */
        abstract int indexOf(String name);

        abstract String nameAt(int index);

        abstract V valueAt(int index);

        @Override
        public final boolean containsKey(Object key) {
            return key instanceof String name && indexOf(name) >= 0;
        }

        @Override
        public final V get(Object key) {
            return getOrDefault(key, null);
        }

        @Override
        public final V getOrDefault(Object key, V defaultValue) {
            int index = key instanceof String name ? indexOf(name) : -1;
            return index < 0 ? defaultValue : valueAt(index);
        }

        @Override
        public final void forEach(BiConsumer<? super String, ? super V> action) {
            for (int i = 0; i < size(); i++) {
                action.accept(nameAt(i), valueAt(i));
            }
        }

        @Override
        public final Set<Entry<String, V>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public int size() {
                    return IndexedView.this.size();
                }

                @Override
                public Iterator<Entry<String, V>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < size();
                        }

                        @Override
                        public Entry<String, V> next() {
                            if (next >= size()) {
                                throw new NoSuchElementException();
                            }
                            int i = next++;
                            return new SimpleImmutableEntry<>(nameAt(i), valueAt(i));
                        }
                    };
                }
            };
        }
    }

    /** The labels over the builder's two arrays, names[0..size) in name order. */
    private static final class LabelView extends IndexedView<String> {
        static final LabelView NONE = new LabelView(new String[0], new String[0], 0);

        private final String[] names;
        private final String[] values;
        private final int size;

        LabelView(String[] names, String[] values, int size) {
            this.names = names;
            this.values = values;
            this.size = size;
        }

        @Override
        public int size() {
            return size;
        }

        /**
         * First by identity: agents and stages name labels with string literals, which the JVM makes
         * one instance each, so most lookups end without reading a character; then by name order.
         */
        @Override
        int indexOf(String name) {
            for (int i = 0; i < size; i++) {
                if (names[i] == name) {
                    return i;
                }
            }
            return Arrays.binarySearch(names, 0, size, name);
        }

        @Override
        String nameAt(int index) {
            return names[index];
        }

        @Override
        String valueAt(int index) {
            return values[index];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LabelView other
                    ? Arrays.equals(names, 0, size, other.names, 0, other.size) && Arrays.equals(values, 0, size, other.values, 0, other.size)
                    : super.equals(o);
        }

        @Override
        public int hashCode() {
            int hash = 0;
            for (int i = 0; i < size; i++) {
                hash += names[i].hashCode() ^ values[i].hashCode(); // as Map.hashCode defines it
            }
            return hash;
        }
    }

    /** The metrics over {@link MetricNames} and a {@code double[]}, boxed only when read. */
    private static final class MetricView extends IndexedView<Double> {
        private final MetricNames names;
        private final double[] values;

        MetricView(MetricNames names, double[] values) {
            this.names = names;
            this.values = values;
        }

        @Override
        public int size() {
            return values.length;
        }

        @Override
        int indexOf(String name) {
            return names.indexOf(name);
        }

        @Override
        String nameAt(int index) {
            return names.name(index);
        }

        @Override
        Double valueAt(int index) {
            return values[index];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MetricView other ? names.equals(other.names) && Arrays.equals(values, other.values) : super.equals(o);
        }

        @Override
        public int hashCode() {
            return super.hashCode();
        }
    }
}
