package io.amoskys.stage.anomaly;

import io.amoskys.api.FeatureStage;
import io.amoskys.api.PluginName;
import io.amoskys.api.admin.MetricsSource;
import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.api.feature.AppendingStage;
import io.amoskys.api.feature.FeatureDefinition;
import io.amoskys.api.feature.FeatureSet;
import io.amoskys.feature.stats.DecayFactor;
import io.amoskys.feature.stats.EntityTable;
import io.amoskys.feature.stats.EntityTableMetrics;
import io.amoskys.feature.stats.SchemaColumns;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Stage {@code anomaly}: how far an entity's key features ({@link AnomalyTargets}) are from its
 * own normal, as z-scores against per-entity baselines ({@link Baseline}), the largest of them,
 * and how much history the baseline has. Put it last: it scores columns the earlier stages made
 * (a column missing from the input scores 0). Baselines are kept in a table per telemetry kind:
 * DNS answers from spoofed addresses or a host's thousands of processes cannot push the hosts'
 * flow baselines out, which would reset their z-scores to 0 and let the next baseline learn the
 * attack.
 */
@Component(service = {FeatureStage.class, FeatureSet.class, MetricsSource.class}, configurationPid = AnomalyStage.PID)
@PluginName(AnomalyStage.NAME)
@Designate(ocd = AnomalyStage.Config.class)
public class AnomalyStage extends AppendingStage implements MetricsSource {
    static final String PID = "io.amoskys.stage.anomaly";
    static final String NAME = "anomaly";
    static final int VERSION = 1;
    static final double Z_CAP = 50;

    @ObjectClassDefinition(name = "AMOSKYS anomaly feature stage")
    public @interface Config {
        @AttributeDefinition(description = "Most entities with a baseline at once per telemetry kind (hosts' flows, DNS, "
                + "processes, sensors); the least recently seen goes first")
        int maxEntities() default 10_000;

        @AttributeDefinition(description = "Minutes (wall clock) without an event after which an entity's baseline is forgotten")
        int idleMinutes() default 1440;

        @AttributeDefinition(description = "Time constant of the overall baseline, in hours")
        double baselineHours() default 24;

        @AttributeDefinition(description = "Samples a baseline needs before it scores (z is 0 until then)")
        int minSamples() default 10;

        @AttributeDefinition(description = "Decayed samples an hour-of-day baseline needs before it replaces the overall one")
        double minSeasonalWeight() default 20;
    }

    /** One entity's baselines, one per target column, and when it was first seen. */
    private static final class State {
        final Baseline[] baselines;
        final long firstSeenNanos;

        State(int targets, long tauNanos, long firstSeenNanos) {
            this.baselines = new Baseline[targets];
            DecayFactor overall = new DecayFactor(tauNanos); // the baselines decay over the same spans
            DecayFactor seasonal = Baseline.seasonalFactor();
            for (int i = 0; i < targets; i++) {
                baselines[i] = new Baseline(overall, seasonal);
            }
            this.firstSeenNanos = firstSeenNanos;
        }
    }

    private final Config config;
    private final long tauNanos;
    /** Read once: a configuration is a proxy, too slow to ask for every feature of every event. */
    private final int minSamples;
    private final double minSeasonalWeight;
    private final List<FeatureDefinition> definitions = new ArrayList<>();
    /** Per telemetry kind with targets: the targets, where they lie in an input schema, and the kind's baselines. */
    private final Map<String, Kind> kinds;
    /** The same tables by kind, for the metrics. */
    private final Map<String, EntityTable<State>> tables = new TreeMap<>();

    private record Kind(List<String> targets, SchemaColumns columns, EntityTable<State> entities) {}

    @Activate
    public AnomalyStage(Config config) {
        super(NAME, VERSION, "Per-entity baselines (by hour of day where history allows) and z-scores of key features.");
        this.config = config;
        if (!(config.baselineHours() > 0) || config.minSamples() < 1 || config.maxEntities() < 1 || config.idleMinutes() < 1) {
            throw new IllegalArgumentException("io.amoskys.stage.anomaly needs baselineHours > 0, minSamples, maxEntities and "
                    + "idleMinutes >= 1; got " + config.baselineHours() + ", " + config.minSamples() + ", " + config.maxEntities()
                    + ", " + config.idleMinutes());
        }
        this.tauNanos = (long) (config.baselineHours() * 3_600_000_000_000L);
        this.minSamples = config.minSamples();
        this.minSeasonalWeight = config.minSeasonalWeight();
        long idleNanos = config.idleMinutes() * 60_000_000_000L;
        this.kinds = AnomalyTargets.BY_KIND.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
                e -> new Kind(e.getValue(), new SchemaColumns(e.getValue()),
                        tables.computeIfAbsent(e.getKey(), k -> new EntityTable<>(config.maxEntities(), idleNanos)))));
        String hours = BigDecimal.valueOf(config.baselineHours()).stripTrailingZeros().toPlainString();
        for (Map.Entry<String, List<String>> kind : new TreeMap<>(AnomalyTargets.BY_KIND).entrySet()) {
            String entity = AnomalyTargets.ENTITY.get(kind.getKey());
            for (String target : kind.getValue()) {
                definitions.add(new FeatureDefinition("z_" + target, kind.getKey(), entity, "sd", hours + "h",
                        "How many deviations " + target + " lies from the entity's baseline (time constant " + hours
                                + " h; by hour of day once the entity has a day of history and the hour has enough samples); "
                                + "the deviation is at least 5 % of the mean's size; 0 until the baseline has "
                                + config.minSamples() + " samples, capped at " + Z_CAP + "."));
            }
            definitions.add(new FeatureDefinition("max_abs_z", kind.getKey(), entity, "sd", "",
                    "The largest |z| of the entity's scored features in this vector."));
            definitions.add(new FeatureDefinition("baseline_weight", kind.getKey(), entity, "samples", hours + "h",
                    "Time-decayed samples behind the entity's baseline: how much its z-scores can be trusted."));
        }
    }

    @Override
    protected double[] compute(TelemetryEvent event, FeatureVector current) {
        Kind kind = kinds.get(event.kind());
        if (kind == null) {
            return null;
        }
        List<String> targets = kind.targets();
        long t = event.timestampNanos();
        State state = kind.entities().get(event.kind(), current.entityId(), null, System.nanoTime(), () -> new State(targets.size(), tauNanos, t));
        int[] at = kind.columns().of(current.schema(), FeatureSchema::indexOf);
        double[] added = new double[targets.size() + 2];
        int hour = Baseline.hourOf(t);
        synchronized (state) {
            double max = 0;
            for (int i = 0; i < targets.size(); i++) {
                double x = at[i] < 0 ? Double.NaN : current.get(at[i]);
                double z = state.baselines[i].scoreThenAdd(t, hour, state.firstSeenNanos, Double.isNaN(x) ? 0 : x,
                        minSamples, minSeasonalWeight, Z_CAP);
                added[i] = z;
                max = Math.max(max, Math.abs(z));
            }
            added[targets.size()] = max;
            added[targets.size() + 1] = state.baselines[0].weight(t);
        }
        return added;
    }

    @Override
    public List<FeatureDefinition> definitions() {
        return definitions;
    }

    @Override
    public FeatureStage detached() {
        return new AnomalyStage(config);
    }

    @Override
    public void writePrometheus(StringBuilder out) {
        EntityTableMetrics.write(NAME, tables, out);
    }
}
