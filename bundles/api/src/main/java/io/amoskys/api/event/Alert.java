package io.amoskys.api.event;

import java.util.List;
import java.util.Objects;

/** What a correlation rule found, with the scores (and through them the events) behind it. */
public final class Alert {
    private final String id;
    private final String rule;
    private final String entityId;
    private final long timestampNanos;
    private final Severity severity;
    private final String title;
    private final List<Score> scores;

    private Alert(Builder b) {
        this.id = Objects.requireNonNull(b.id, "id");
        this.rule = Objects.requireNonNull(b.rule, "rule");
        this.entityId = Objects.requireNonNull(b.entityId, "entityId");
        this.severity = Objects.requireNonNull(b.severity, "severity");
        this.title = Objects.requireNonNull(b.title, "title");
        this.timestampNanos = b.timestampNanos;
        this.scores = List.copyOf(b.scores);
    }

    public static Builder builder() {
        return new Builder();
    }

    public String id() {
        return id;
    }

    public String rule() {
        return rule;
    }

    public String entityId() {
        return entityId;
    }

    public long timestampNanos() {
        return timestampNanos;
    }

    public Severity severity() {
        return severity;
    }

    public String title() {
        return title;
    }

    /** The scores that made the rule fire: the alert's evidence. */
    public List<Score> scores() {
        return scores;
    }

    @Override
    public String toString() {
        return "Alert[" + id + " " + severity + " " + entityId + " " + title + "]";
    }

    /** Builds alerts; not thread-safe. */
    public static final class Builder {
        private String id;
        private String rule;
        private String entityId;
        private long timestampNanos;
        private Severity severity = Severity.MEDIUM;
        private String title;
        private List<Score> scores = List.of();

        private Builder() {}

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder rule(String rule) {
            this.rule = rule;
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

        public Builder severity(Severity severity) {
            this.severity = severity;
            return this;
        }

        public Builder title(String title) {
            this.title = title;
            return this;
        }

        public Builder scores(List<Score> scores) {
            this.scores = scores;
            return this;
        }

        public Alert build() {
            return new Alert(this);
        }
    }
}
