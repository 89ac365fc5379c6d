package io.amoskys.api.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final List<String> tags;
    private final List<String> eventIds;
    private final Map<String, String> groupBy;

    private Alert(Builder b) {
        this.id = Objects.requireNonNull(b.id, "id");
        this.rule = Objects.requireNonNull(b.rule, "rule");
        this.entityId = Objects.requireNonNull(b.entityId, "entityId");
        this.severity = Objects.requireNonNull(b.severity, "severity");
        this.title = Objects.requireNonNull(b.title, "title");
        this.timestampNanos = b.timestampNanos;
        this.scores = List.copyOf(b.scores);
        this.tags = List.copyOf(b.tags);
        this.eventIds = List.copyOf(b.eventIds);
        this.groupBy = Collections.unmodifiableMap(new LinkedHashMap<>(b.groupBy));
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

    /**
     * The rule's tags, such as MITRE ATT&CK techniques ({@code attack.t1046}) and tactics
     * ({@code attack.discovery}); empty when the rule has none.
     *
     * @since 1.3
     */
    public List<String> tags() {
        return tags;
    }

    /**
     * The ids of the telemetry events that matched the rule ({@code agent:sequence}): the alert's
     * evidence when it came from events rather than (or as well as) scores; empty when none.
     *
     * @since 1.3
     */
    public List<String> eventIds() {
        return eventIds;
    }

    /**
     * The values the rule grouped its matches by (field name to value, in the rule's order), for
     * a correlation over a window; empty for a rule that matches single observations.
     *
     * @since 1.3
     */
    public Map<String, String> groupBy() {
        return groupBy;
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
        private List<String> tags = List.of();
        private List<String> eventIds = List.of();
        private Map<String, String> groupBy = Map.of();

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

        /** @since 1.3 */
        public Builder tags(List<String> tags) {
            this.tags = Objects.requireNonNull(tags, "tags");
            return this;
        }

        /** @since 1.3 */
        public Builder eventIds(List<String> eventIds) {
            this.eventIds = Objects.requireNonNull(eventIds, "eventIds");
            return this;
        }

        /** @since 1.3 */
        public Builder groupBy(Map<String, String> groupBy) {
            this.groupBy = Objects.requireNonNull(groupBy, "groupBy");
            return this;
        }

        public Alert build() {
            return new Alert(this);
        }
    }
}
