package io.amoskys.api.event;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One observation from an agent about one entity.
 *
 * <p>{@code labels} describe the entity (process name, executable, user; interface name);
 * {@code metrics} are the measured numbers. Both are copied, immutable and iterate in name
 * order. The pair
 * (agentId, sequence) identifies an event; {@link #id()} spells it.
 */
public final class TelemetryEvent {
    private final String agentId;
    private final long sequence;
    private final String entityId;
    private final String kind;
    private final long timestampNanos;
    private final Map<String, String> labels;
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
        // The builder hands its maps over and starts new ones if it is used again (see Builder).
        this.labels = Collections.unmodifiableMap(b.takeLabels());
        this.metrics = Collections.unmodifiableMap(b.takeMetrics());
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

    public Map<String, Double> metrics() {
        return metrics;
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
        private String agentId;
        private long sequence;
        private String entityId;
        private String kind;
        private long timestampNanos;
        private TreeMap<String, String> labels = new TreeMap<>();
        private TreeMap<String, Double> metrics = new TreeMap<>();
        /** Set once build() took the maps: the next change works on copies, so built events never change. */
        private boolean handedOver;

        private Builder() {}

        private void ownMaps() {
            if (handedOver) {
                labels = new TreeMap<>(labels);
                metrics = new TreeMap<>(metrics);
                handedOver = false;
            }
        }

        private TreeMap<String, String> takeLabels() {
            handedOver = true;
            return labels;
        }

        private TreeMap<String, Double> takeMetrics() {
            handedOver = true;
            return metrics;
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
            ownMaps();
            labels.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
            return this;
        }

        public Builder metric(String name, double value) {
            ownMaps();
            metrics.put(Objects.requireNonNull(name), value);
            return this;
        }

        public TelemetryEvent build() {
            return new TelemetryEvent(this);
        }
    }
}
