package io.amoskys.api.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.MetricNames;
import io.amoskys.api.event.Score;
import io.amoskys.api.event.TelemetryEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleInputTest {
    private static final FeatureSchema FLOW = new FeatureSchema("flow:test", 1, List.of("fan_out", "syn_fwd", "ratio"));
    /** The same features in another order, and one missing: a resolved field must not keep the first schema's column. */
    private static final FeatureSchema OTHER = new FeatureSchema("flow:other", 1, List.of("ratio", "fan_out"));

    private static RuleInput observation(FeatureSchema schema, double[] features) {
        TelemetryEvent event = TelemetryEvent.builder().agentId("probe").sequence(7).kind("flow").entityId("host:10.0.0.5")
                .timestampNanos(1_000).label("proto", "tcp").label("dport", "22").label("fan_out", "label wins")
                .metric("syn_fwd", 3).metric("bytes", 1500).build();
        FeatureVector vector = FeatureVector.wrap(schema, event.entityId(), 1_000, features, List.of(event.id()));
        Score iforest = Score.builder().detector("iforest").modelVersion("2.0.0").entityId(event.entityId()).timestampNanos(1_000)
                .value(0.7).eventIds(List.of(event.id())).build();
        Score gbt = Score.builder().detector("gbt").modelVersion("1.1.0").entityId(event.entityId()).timestampNanos(1_000)
                .value(0.9).eventIds(List.of(event.id())).build();
        return RuleInput.of(event, vector, List.of(iforest, gbt));
    }

    @Test
    void aResolvedFieldReadsWhatItsNameDoes() {
        RuleInput input = observation(FLOW, new double[] {4, 5, 0.25});
        List<String> names = List.of("kind", "entity", "id", "agent", "time", "score", "label.proto", "label.nope", "label.",
                "metric.syn_fwd", "metric.nope", "feature.syn_fwd", "feature.ratio", "feature.nope", "score.gbt", "score.nope",
                "model.iforest", "model.nope", "proto", "fan_out", "syn_fwd", "ratio", "bytes", "nope", "");
        for (String name : names) {
            RuleInput.Field field = RuleInput.Field.of(name);
            assertEquals(input.field(name), input.field(field), name);
            assertEquals(name, field.name());
        }
        // The scheme itself: a plain name is the label, else the metric, else the feature.
        assertEquals("label wins", input.field("fan_out"));
        assertEquals(3.0, input.field("syn_fwd"));
        assertEquals(0.25, input.field("ratio"));
        assertEquals(5.0, input.field("feature.syn_fwd"));
        assertEquals(0.9, input.field("score"));
        assertEquals("2.0.0", input.field("model.iforest"));
        assertEquals("probe:7", input.field("id"));
        assertNull(input.field("nope"));
    }

    @Test
    void aResolvedFieldFollowsTheSchemaOfEachVector() {
        RuleInput.Field ratio = RuleInput.Field.of("feature.ratio");
        RuleInput.Field synFwd = RuleInput.Field.of("feature.syn_fwd");
        for (int round = 0; round < 3; round++) {
            assertEquals(0.25, observation(FLOW, new double[] {4, 5, 0.25}).field(ratio));
            assertEquals(0.5, observation(OTHER, new double[] {0.5, 4}).field(ratio));
            assertEquals(5.0, observation(FLOW, new double[] {4, 5, 0.25}).field(synFwd));
            assertNull(observation(OTHER, new double[] {0.5, 4}).field(synFwd));
        }
        // A schema equal to FLOW but another object: found by name, not by the object last seen.
        FeatureSchema copy = new FeatureSchema("flow:test", 1, FLOW.features());
        assertEquals(0.75, observation(copy, new double[] {4, 5, 0.75}).field(ratio));
    }

    @Test
    void aResolvedFieldFollowsTheMetricLayoutOfEachEvent() {
        MetricNames flows = MetricNames.of("bytes", "packets", "syn_fwd");
        MetricNames other = MetricNames.of("syn_fwd", "zz"); // syn_fwd first here, bytes absent
        RuleInput.Field synFwd = RuleInput.Field.of("metric.syn_fwd");
        RuleInput.Field bytes = RuleInput.Field.of("bytes");
        for (int round = 0; round < 3; round++) {
            RuleInput a = RuleInput.of(withMetrics(flows, 1500, 2, 3), null, List.of());
            RuleInput b = RuleInput.of(withMetrics(other, 9, 1), null, List.of());
            assertEquals(3.0, a.field(synFwd));
            assertEquals(9.0, b.field(synFwd));
            assertEquals(1500.0, a.field(bytes));
            assertNull(b.field(bytes));
        }
        // Equal names in another object: found by name, not by the object last seen.
        RuleInput copy = RuleInput.of(withMetrics(MetricNames.of("bytes", "packets", "syn_fwd"), 1, 2, 7), null, List.of());
        assertEquals(7.0, copy.field(synFwd));
    }

    private static TelemetryEvent withMetrics(MetricNames names, double... values) {
        return TelemetryEvent.builder().agentId("probe").sequence(8).kind("flow").entityId("host:10.0.0.6").timestampNanos(2_000)
                .metrics(names, values).build();
    }

    @Test
    void fieldsAreEqualByName() {
        assertEquals(RuleInput.Field.of("label.proto"), RuleInput.Field.of("label." + "proto"));
        assertEquals(RuleInput.Field.of("dport").hashCode(), RuleInput.Field.of("dport").hashCode());
        assertNotEquals(RuleInput.Field.of("proto"), RuleInput.Field.of("label.proto"));
    }
}
