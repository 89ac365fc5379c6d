package io.amoskys.stage.temporal;

import io.amoskys.api.FeatureStage;
import io.amoskys.api.PluginName;
import io.amoskys.api.admin.MetricsSource;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.api.feature.AppendingStage;
import io.amoskys.api.feature.FeatureDefinition;
import io.amoskys.api.feature.FeatureSet;
import io.amoskys.feature.stats.EntityTable;
import io.amoskys.feature.stats.EntityTableMetrics;
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
 * Stage {@code temporal}: per entity, time-decayed rates, means and deviations, windowed minima
 * and maxima and sketched distinct counts over 1 s, 10 s, 1 min and 10 min ({@link TemporalFeatures}).
 * Time is the events' own, so a replayed capture gives the features it gave live. Entities are
 * capped and idle ones forgotten ({@link EntityTable}), in a table per telemetry kind: ARP frames
 * or DNS answers from random spoofed addresses, or a host's thousands of processes, cannot push the
 * hosts' flow statistics out. Kinds without temporal columns pass through with none added.
 */
@Component(service = {FeatureStage.class, FeatureSet.class, MetricsSource.class},
        configurationPid = TemporalStage.PID)
@PluginName(TemporalStage.NAME)
@Designate(ocd = TemporalStage.Config.class)
public class TemporalStage extends AppendingStage implements MetricsSource {
    static final String PID = "io.amoskys.stage.temporal";
    static final String NAME = "temporal";
    static final int VERSION = 2;

    @ObjectClassDefinition(name = "AMOSKYS temporal feature stage")
    public @interface Config {
        @AttributeDefinition(description = "Most entities followed at once per telemetry kind (hosts' flows, DNS, ARP, "
                + "processes, sensors); the least recently seen goes first")
        int maxEntities() default 10_000;

        @AttributeDefinition(description = "Minutes (wall clock) without an event after which an entity is forgotten (longer than the longest window, 10 min)")
        int idleMinutes() default 30;
    }

    private final List<FeatureDefinition> definitions = TemporalFeatures.plans().stream()
            .flatMap(p -> p.definitions().stream()).toList();
    private final Config config;
    /** Per telemetry kind with temporal columns: its plan and its entities' table. */
    private final Map<String, Kind> kinds;
    /** The same tables by kind, for the metrics, in a stable order. */
    private final Map<String, EntityTable<KindPlan.State>> tables = new TreeMap<>();

    private record Kind(KindPlan plan, EntityTable<KindPlan.State> entities) {}

    @Activate
    public TemporalStage(Config config) {
        super(NAME, VERSION, "Per-entity time-decayed rates, means, deviations, windowed extremes and distinct counts over 1 s to 10 min.");
        this.config = config;
        long idleNanos = config.idleMinutes() * 60_000_000_000L;
        this.kinds = TemporalFeatures.plans().stream().collect(Collectors.toUnmodifiableMap(p -> p.kind,
                p -> new Kind(p, tables.computeIfAbsent(p.kind, k -> new EntityTable<>(config.maxEntities(), idleNanos)))));
    }

    @Override
    protected double[] compute(TelemetryEvent event, FeatureVector current) {
        Kind kind = kinds.get(event.kind());
        if (kind == null) {
            return null;
        }
        KindPlan.State state = kind.entities().get(event.kind(), current.entityId(), null, System.nanoTime(), kind.plan().newState);
        synchronized (state) {
            return kind.plan().update(state, event, current);
        }
    }

    @Override
    public List<FeatureDefinition> definitions() {
        return definitions;
    }

    @Override
    public FeatureStage detached() {
        return new TemporalStage(config);
    }

    @Override
    public void writePrometheus(StringBuilder out) {
        EntityTableMetrics.write(NAME, tables, out);
    }
}
