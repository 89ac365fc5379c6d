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
import java.util.function.Function;
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
 * capped and idle ones forgotten ({@link EntityTable}); kinds without temporal columns pass
 * through with none added.
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
        @AttributeDefinition(description = "Most entities (hosts, processes, sensors) followed at once; the least recently seen goes first")
        int maxEntities() default 10_000;

        @AttributeDefinition(description = "Minutes (wall clock) without an event after which an entity is forgotten (longer than the longest window, 10 min)")
        int idleMinutes() default 30;
    }

    private final Map<String, KindPlan> plans = TemporalFeatures.plans().stream()
            .collect(Collectors.toUnmodifiableMap(p -> p.kind, Function.identity()));
    private final List<FeatureDefinition> definitions = TemporalFeatures.plans().stream()
            .flatMap(p -> p.definitions().stream()).toList();
    private final Config config;
    private final EntityTable<KindPlan.State> entities;

    @Activate
    public TemporalStage(Config config) {
        super(NAME, VERSION, "Per-entity time-decayed rates, means, deviations, windowed extremes and distinct counts over 1 s to 10 min.");
        this.config = config;
        this.entities = new EntityTable<>(config.maxEntities(), config.idleMinutes() * 60_000_000_000L);
    }

    @Override
    protected double[] compute(TelemetryEvent event, FeatureVector current) {
        KindPlan plan = plans.get(event.kind());
        if (plan == null) {
            return null;
        }
        KindPlan.State state = entities.get(event.kind(), current.entityId(), null, System.nanoTime(), plan.newState);
        synchronized (state) {
            return plan.update(state, event, current);
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
        EntityTableMetrics.write(NAME, entities, out);
    }
}
