package io.amoskys.api.rule;

import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.MetricNames;
import io.amoskys.api.event.Score;
import io.amoskys.api.event.TelemetryEvent;
import java.util.List;
import java.util.Objects;

/**
 * What a rule sees of one observation: the {@link TelemetryEvent}, the {@link FeatureVector} the
 * feature stages built from it (if any), and the {@link Score}s detectors gave that vector (if
 * any). Immutable.
 *
 * <h2>Field names</h2>
 *
 * Rules address the parts of an observation by name ({@link #field(String)}), one scheme for
 * every rule language:
 *
 * <table>
 * <caption>field names</caption>
 * <tr><th>name</th><th>value</th></tr>
 * <tr><td>{@code kind}</td><td>the event's kind ({@code flow}, {@code dns}, ...)</td></tr>
 * <tr><td>{@code entity}</td><td>the event's entity id ({@code host:10.0.0.5})</td></tr>
 * <tr><td>{@code id}</td><td>the event's id ({@code agent:sequence})</td></tr>
 * <tr><td>{@code agent}</td><td>the id of the agent that made the event</td></tr>
 * <tr><td>{@code time}</td><td>the event's time, nanoseconds since the epoch (a number)</td></tr>
 * <tr><td>{@code label.NAME}</td><td>the event's label {@code NAME} (text)</td></tr>
 * <tr><td>{@code metric.NAME}</td><td>the event's metric {@code NAME} (a number)</td></tr>
 * <tr><td>{@code feature.NAME}</td><td>the vector's feature {@code NAME} (a number; absent without a vector
 *     or when its schema lacks the feature)</td></tr>
 * <tr><td>{@code score.DETECTOR}</td><td>the value in [0, 1] that detector {@code DETECTOR} gave</td></tr>
 * <tr><td>{@code score}</td><td>the highest score of any detector on the observation</td></tr>
 * <tr><td>{@code model.DETECTOR}</td><td>the model version of that detector's score (text)</td></tr>
 * <tr><td>{@code NAME}</td><td>any other plain name: the label {@code NAME} if the event has one, else
 *     the metric, else the feature: {@code dport}, {@code proto}, {@code query},
 *     {@code half_open_ratio_1m}</td></tr>
 * </table>
 *
 * A canonical feature has the same name and value as the metric it was made from, so a plain
 * name is never ambiguous between them; use a prefix only to insist on one source. Absent fields
 * are {@code null}.
 */
public final class RuleInput {
    /** Reserved plain names: the event's own fields. */
    public static final String KIND = "kind";
    public static final String ENTITY = "entity";
    public static final String ID = "id";
    public static final String AGENT = "agent";
    public static final String TIME = "time";
    /** Prefixes of the qualified names. */
    public static final String LABEL_PREFIX = "label.";
    public static final String METRIC_PREFIX = "metric.";
    public static final String FEATURE_PREFIX = "feature.";
    public static final String SCORE_PREFIX = "score.";
    public static final String MODEL_PREFIX = "model.";
    /** The highest score on the observation. */
    public static final String SCORE = "score";

    private final TelemetryEvent event;
    private final FeatureVector vector;
    private final List<Score> scores;

    private RuleInput(TelemetryEvent event, FeatureVector vector, List<Score> scores) {
        this.event = Objects.requireNonNull(event, "event");
        this.vector = vector;
        this.scores = scores == null ? List.of() : List.copyOf(scores);
    }

    /** An observation of the event alone (no vector, no scores). */
    public static RuleInput of(TelemetryEvent event) {
        return new RuleInput(event, null, List.of());
    }

    /**
     * @param vector the vector built from the event, or {@code null}
     * @param scores the detectors' scores on it; {@code null} or empty for none
     */
    public static RuleInput of(TelemetryEvent event, FeatureVector vector, List<Score> scores) {
        return new RuleInput(event, vector, scores);
    }

    public TelemetryEvent event() {
        return event;
    }

    /** @return the vector built from the event, or {@code null} when there is none */
    public FeatureVector vector() {
        return vector;
    }

    /** @return the detectors' scores on the observation, possibly none */
    public List<Score> scores() {
        return scores;
    }

    /**
     * The value of a field by the scheme above.
     *
     * @return a {@link String} (kind, entity, id, agent, labels, model versions), a
     *     {@link Double} (time, metrics, features, scores), or {@code null} when absent
     */
    public Object field(String name) {
        return field(Field.of(name));
    }

    /**
     * The value of a field resolved beforehand: as {@link #field(String)} of its name, without
     * taking the name apart again.
     *
     * @since 1.1
     */
    public Object field(Field field) {
        String name = field.bare;
        switch (field.part) {
            case KIND:
                return event.kind();
            case ENTITY:
                return event.entityId();
            case ID:
                return event.id();
            case AGENT:
                return event.agentId();
            case TIME:
                return (double) event.timestampNanos();
            case SCORE:
                return maxScore();
            case LABEL:
                return event.labels().get(name);
            case METRIC:
                return metric(field);
            case FEATURE:
                return feature(field);
            case SCORE_OF: {
                Score s = score(name);
                return s == null ? null : s.value();
            }
            case MODEL_OF: {
                Score s = score(name);
                return s == null ? null : s.modelVersion();
            }
            default:
                String label = event.labels().get(name);
                if (label != null) {
                    return label;
                }
                Double metric = metric(field);
                return metric != null ? metric : feature(field);
        }
    }

    /**
     * A field name of the scheme above, taken apart once (reserved name, prefix, the name after
     * it): a rule engine that reads the same names from every observation resolves each once and
     * reads it with {@link RuleInput#field(Field)}. Immutable (it remembers where it last found its
     * feature, for the next vector of the same schema); equal when the names are.
     *
     * @since 1.1
     */
    public static final class Field {
        private enum Part { KIND, ENTITY, ID, AGENT, TIME, SCORE, LABEL, METRIC, FEATURE, SCORE_OF, MODEL_OF, PLAIN }

        private final String name;
        private final Part part;
        /** The name after its prefix; the whole name for a plain one. */
        private final String bare;
        /** Where the name was found in the last schema asked: the vectors of a route share one schema. */
        private volatile Column lastColumn;

        /** Where the name was found among the last metric names asked: a route's flows share one layout. */
        private volatile MetricColumn lastMetric;

        private record Column(FeatureSchema schema, int index) {}

        private record MetricColumn(MetricNames names, int index) {}

        private Field(String name, Part part, String bare) {
            this.name = name;
            this.part = part;
            this.bare = bare;
        }

        /** @param name a field name of the scheme above */
        public static Field of(String name) {
            Objects.requireNonNull(name, "name");
            switch (name) {
                case KIND:
                    return new Field(name, Part.KIND, name);
                case ENTITY:
                    return new Field(name, Part.ENTITY, name);
                case ID:
                    return new Field(name, Part.ID, name);
                case AGENT:
                    return new Field(name, Part.AGENT, name);
                case TIME:
                    return new Field(name, Part.TIME, name);
                case SCORE:
                    return new Field(name, Part.SCORE, name);
                default:
                    break;
            }
            if (name.startsWith(LABEL_PREFIX)) {
                return new Field(name, Part.LABEL, name.substring(LABEL_PREFIX.length()));
            }
            if (name.startsWith(METRIC_PREFIX)) {
                return new Field(name, Part.METRIC, name.substring(METRIC_PREFIX.length()));
            }
            if (name.startsWith(FEATURE_PREFIX)) {
                return new Field(name, Part.FEATURE, name.substring(FEATURE_PREFIX.length()));
            }
            if (name.startsWith(SCORE_PREFIX)) {
                return new Field(name, Part.SCORE_OF, name.substring(SCORE_PREFIX.length()));
            }
            if (name.startsWith(MODEL_PREFIX)) {
                return new Field(name, Part.MODEL_OF, name.substring(MODEL_PREFIX.length()));
            }
            return new Field(name, Part.PLAIN, name);
        }

        /** The name as written. */
        public String name() {
            return name;
        }

        /** The feature's column in {@code schema}, -1 for none. */
        int indexIn(FeatureSchema schema) {
            Column column = lastColumn;
            if (column == null || column.schema() != schema) {
                column = new Column(schema, schema.indexOf(bare));
                lastColumn = column;
            }
            return column.index();
        }

        /** The metric's index among {@code names}, -1 for none. */
        int indexIn(MetricNames names) {
            MetricColumn column = lastMetric;
            if (column == null || column.names() != names) {
                column = new MetricColumn(names, names.indexOf(bare));
                lastMetric = column;
            }
            return column.index();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Field other && name.equals(other.name);
        }

        @Override
        public int hashCode() {
            return name.hashCode();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private Double metric(Field field) {
        int index = field.indexIn(event.metricNames());
        return index < 0 ? null : event.metricValue(index);
    }

    private Double feature(Field field) {
        if (vector == null) {
            return null;
        }
        int index = field.indexIn(vector.schema());
        return index < 0 ? null : vector.get(index);
    }

    private Score score(String detector) {
        for (Score s : scores) {
            if (s.detector().equals(detector)) {
                return s;
            }
        }
        return null;
    }

    private Double maxScore() {
        Double max = null;
        for (Score s : scores) {
            if (max == null || s.value() > max) {
                max = s.value();
            }
        }
        return max;
    }

    @Override
    public String toString() {
        return "RuleInput[" + event.id() + " " + event.kind() + " " + event.entityId()
                + (vector == null ? "" : " " + vector.schema().name()) + " " + scores.size() + " scores]";
    }
}
