package io.amoskys.api.event;

import java.util.List;
import java.util.Objects;

/**
 * A detector's verdict on one feature vector, with its evidence: the source events, the model
 * and its version, and the features that contributed most.
 *
 * <p>{@link #value()} is in [0, 1]: 0 is ordinary, 1 is as anomalous as the detector can say.
 */
public final class Score {
    private final String detector;
    private final String modelVersion;
    private final String entityId;
    private final long timestampNanos;
    private final double value;
    private final List<String> eventIds;
    private final List<Contribution> topContributions;

    private Score(Builder b) {
        this.detector = Objects.requireNonNull(b.detector, "detector");
        this.modelVersion = Objects.requireNonNull(b.modelVersion, "modelVersion");
        this.entityId = Objects.requireNonNull(b.entityId, "entityId");
        if (!(b.value >= 0.0 && b.value <= 1.0)) {
            throw new IllegalArgumentException("score must be in [0, 1], was " + b.value);
        }
        this.timestampNanos = b.timestampNanos;
        this.value = b.value;
        this.eventIds = List.copyOf(b.eventIds);
        this.topContributions = List.copyOf(b.topContributions);
    }

    public static Builder builder() {
        return new Builder();
    }

    public String detector() {
        return detector;
    }

    public String modelVersion() {
        return modelVersion;
    }

    public String entityId() {
        return entityId;
    }

    public long timestampNanos() {
        return timestampNanos;
    }

    public double value() {
        return value;
    }

    public List<String> eventIds() {
        return eventIds;
    }

    /** The largest contributions first. */
    public List<Contribution> topContributions() {
        return topContributions;
    }

    @Override
    public String toString() {
        return "Score[" + detector + " " + entityId + " " + value + " " + topContributions + "]";
    }

    /** Builds scores; not thread-safe. */
    public static final class Builder {
        private String detector;
        private String modelVersion = "1";
        private String entityId;
        private long timestampNanos;
        private double value;
        private List<String> eventIds = List.of();
        private List<Contribution> topContributions = List.of();

        private Builder() {}

        public Builder detector(String detector) {
            this.detector = detector;
            return this;
        }

        public Builder modelVersion(String modelVersion) {
            this.modelVersion = modelVersion;
            return this;
        }

        public Builder entityId(String entityId) {
            this.entityId = entityId;
            return this;
        }

        public Builder timestampNanos(long timestampNanos) {
            this.timestampNanos = timestampNanos;
            return this;
        }

        public Builder value(double value) {
            this.value = value;
            return this;
        }

        public Builder eventIds(List<String> eventIds) {
            this.eventIds = eventIds;
            return this;
        }

        public Builder topContributions(List<Contribution> topContributions) {
            this.topContributions = topContributions;
            return this;
        }

        /** Takes entity, time and source events from the scored vector. */
        public Builder about(FeatureVector vector) {
            return entityId(vector.entityId())
                    .timestampNanos(vector.timestampNanos())
                    .eventIds(vector.sourceEventIds());
        }

        public Score build() {
            return new Score(this);
        }
    }
}
