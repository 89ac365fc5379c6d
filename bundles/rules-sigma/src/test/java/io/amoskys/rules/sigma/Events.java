package io.amoskys.rules.sigma;

import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.api.rule.RuleInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Observations for tests: an event of a kind and entity at a second, with labels, metrics and features. */
final class Events {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private Events() {}

    static RuleInput at(double seconds, String kind, String entity, Map<String, ?> fields) {
        return at(seconds, kind, entity, fields, Map.of(), Map.of());
    }

    /** Numbers in {@code fields} become metrics, the rest labels. */
    static RuleInput at(double seconds, String kind, String entity, Map<String, ?> fields, Map<String, Double> features,
            Map<String, Double> scores) {
        long time = RuleCases.BASE_NANOS + Math.round(seconds * 1e9);
        TelemetryEvent.Builder b = TelemetryEvent.builder().agentId("test").sequence(SEQUENCE.getAndIncrement()).kind(kind)
                .entityId(entity).timestampNanos(time);
        fields.forEach((k, v) -> {
            if (v instanceof Number n) {
                b.metric(k, n.doubleValue());
            } else {
                b.label(k, String.valueOf(v));
            }
        });
        TelemetryEvent event = b.build();
        FeatureVector vector = null;
        if (!features.isEmpty()) {
            List<String> names = new ArrayList<>(features.keySet());
            double[] values = names.stream().mapToDouble(features::get).toArray();
            vector = new FeatureVector(new FeatureSchema(kind + ":test", 1, names), entity, time, values, List.of(event.id()));
        }
        List<Score> s = new ArrayList<>();
        scores.forEach((d, v) -> s.add(Score.builder().detector(d).modelVersion("7").entityId(entity).timestampNanos(time).value(v)
                .eventIds(List.of(event.id())).build()));
        return RuleInput.of(event, vector, s);
    }

    static RuleInput flow(double seconds, String entity, Map<String, ?> fields) {
        return at(seconds, "flow", entity, fields);
    }
}
