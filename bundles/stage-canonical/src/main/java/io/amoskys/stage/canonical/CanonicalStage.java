package io.amoskys.stage.canonical;

import io.amoskys.api.FeatureStage;
import io.amoskys.api.PluginName;
import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage {@code canonical}: the first step of every feature chain. Turns a telemetry event into a
 * vector of its metrics over a schema named {@code KIND.canonical}, one schema per set of metric
 * names, shared by every vector of that shape. Non-finite metrics (NaN, infinities) are refused
 * here so that later stages and detectors only see numbers.
 */
@Component
@PluginName("canonical")
public class CanonicalStage implements FeatureStage {
    private static final Logger LOG = LoggerFactory.getLogger(CanonicalStage.class);
    /** Agents report few distinct metric sets; past this, something is wrong and we stop caching. */
    static final int MAX_SCHEMAS = 1024;

    private record Shape(String kind, List<String> metrics) {}

    private final Map<Shape, FeatureSchema> schemas = new ConcurrentHashMap<>();

    @Override
    public FeatureVector process(TelemetryEvent event, FeatureVector current) {
        if (current != null) {
            throw new IllegalArgumentException("the canonical stage starts a chain; put it first in the route");
        }
        Map<String, Double> metrics = event.metrics();
        if (metrics.isEmpty()) {
            return null;
        }
        FeatureSchema schema = schemaFor(event.kind(), metrics);
        double[] values = new double[schema.size()];
        int i = 0;
        for (Double value : metrics.values()) { // sorted by name, as the schema
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("event " + event.id() + " has a non-finite metric "
                        + schema.features().get(i) + "=" + value);
            }
            values[i++] = value;
        }
        return new FeatureVector(schema, event.entityId(), event.timestampNanos(), values, List.of(event.id()));
    }

    private FeatureSchema schemaFor(String kind, Map<String, Double> metrics) {
        Shape shape = new Shape(kind, new ArrayList<>(metrics.keySet()));
        FeatureSchema known = schemas.get(shape);
        if (known != null) {
            return known;
        }
        FeatureSchema schema = new FeatureSchema(kind + ".canonical", 1, shape.metrics());
        if (schemas.size() < MAX_SCHEMAS) {
            schemas.putIfAbsent(shape, schema);
        } else {
            LOG.warn("More than {} metric sets seen; schemas for new ones are no longer shared", MAX_SCHEMAS);
        }
        return schemas.getOrDefault(shape, schema);
    }
}
