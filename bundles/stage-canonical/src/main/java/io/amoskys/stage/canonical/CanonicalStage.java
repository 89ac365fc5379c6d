package io.amoskys.stage.canonical;

import io.amoskys.api.FeatureStage;
import io.amoskys.api.PluginName;
import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.MetricNames;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.api.feature.FeatureDefinition;
import io.amoskys.api.feature.FeatureSchemas;
import io.amoskys.api.feature.FeatureSet;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage {@code canonical}: the first step of every feature chain. Events of the kinds our agents
 * send become vectors over that kind's declared columns ({@link CanonicalFeatures}: a metric the
 * event lacks is 0, one not declared is left out), so their schemas are stable; events of other
 * kinds (SNMP profiles, vendors' agents) become vectors of all their metrics, one schema per set
 * of metric names. Non-finite metrics (NaN, infinities) are refused here so that later stages and
 * detectors only see numbers.
 */
@Component(service = {FeatureStage.class, FeatureSet.class})
@PluginName("canonical")
public class CanonicalStage implements FeatureStage, FeatureSet {
    static final String NAME = "canonical";
    static final int VERSION = 1;
    private static final Logger LOG = LoggerFactory.getLogger(CanonicalStage.class);
    /** Agents report few distinct metric sets; past this, something is wrong and we stop caching. */
    static final int MAX_SCHEMAS = 1024;

    private record Shape(String kind, List<String> metrics) {}

    private final Map<String, DeclaredKind> declared = new ConcurrentHashMap<>();
    private final Map<Shape, FeatureSchema> schemas = new ConcurrentHashMap<>();

    public CanonicalStage() {
        for (FeatureDefinition d : CanonicalFeatures.ALL) {
            declared.computeIfAbsent(d.kind(), kind -> new DeclaredKind(FeatureSchemas.first(kind, NAME, VERSION, columns(kind))));
        }
    }

    @Override
    public String stage() {
        return NAME;
    }

    @Override
    public int version() {
        return VERSION;
    }

    @Override
    public String description() {
        return "An event's metrics as columns: the declared ones for the platform's own kinds, all of them for others.";
    }

    @Override
    public List<FeatureDefinition> definitions() {
        return CanonicalFeatures.ALL;
    }

    @Override
    public FeatureStage detached() {
        return new CanonicalStage();
    }

    @Override
    public FeatureVector process(TelemetryEvent event, FeatureVector current) {
        if (current != null) {
            throw new IllegalArgumentException("the canonical stage starts a chain; put it first in the route");
        }
        Map<String, Double> metrics = event.metrics();
        DeclaredKind fixed = declared.get(event.kind());
        if (fixed == null && metrics.isEmpty()) {
            return null;
        }
        FeatureSchema schema = fixed != null ? fixed.schema() : schemaFor(event.kind(), metrics);
        double[] values = new double[schema.size()]; // a declared metric the event lacks stays 0
        if (fixed != null) {
            fixed.place(event, values);
        } else {
            MetricNames names = event.metricNames(); // the schema's columns are these names, in this order
            for (int i = 0; i < values.length; i++) {
                values[i] = finite(event, names.name(i), event.metricValue(i));
            }
        }
        return FeatureVector.wrap(schema, event.entityId(), event.timestampNanos(), values, List.of(event.id()));
    }

    /** The metric's value; an event with a non-finite one is refused. */
    static double finite(TelemetryEvent event, String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("event " + event.id() + " has a non-finite metric " + name + "=" + value);
        }
        return value;
    }

    /** 16 hex digits of the SHA-256 of the column names: different columns, different names. */
    private static String digest(List<String> columns) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(String.join("\n", columns).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    private FeatureSchema schemaFor(String kind, Map<String, Double> metrics) {
        Shape shape = new Shape(kind, new ArrayList<>(metrics.keySet()));
        FeatureSchema known = schemas.get(shape);
        if (known != null) {
            return known;
        }
        // The columns' hash in the name keeps "same name, same columns" true for these kinds too.
        String shapeId = "[" + digest(shape.metrics()) + "]";
        FeatureSchema schema = new FeatureSchema(kind + ":" + NAME + "." + VERSION + shapeId, 1, shape.metrics());
        if (schemas.size() < MAX_SCHEMAS) {
            schemas.putIfAbsent(shape, schema);
        } else {
            LOG.warn("More than {} metric sets seen; schemas for new ones are no longer shared", MAX_SCHEMAS);
        }
        return schemas.getOrDefault(shape, schema);
    }
}
