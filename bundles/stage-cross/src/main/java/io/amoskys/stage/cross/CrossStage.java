package io.amoskys.stage.cross;

import io.amoskys.api.FeatureStage;
import io.amoskys.api.PluginName;
import io.amoskys.api.admin.MetricsSource;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.api.feature.AppendingStage;
import io.amoskys.api.feature.FeatureDefinition;
import io.amoskys.api.feature.FeatureSet;
import io.amoskys.feature.stats.DecayedCovariance;
import io.amoskys.feature.stats.EntityTable;
import io.amoskys.feature.stats.EntityTableMetrics;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Stage {@code cross}: relations between features ({@link CrossFeatures}): ratios within one
 * vector, and time-decayed covariances and correlations of paired columns across an entity's
 * vectors, the only state it keeps (capped like every stage's).
 */
@Component(service = {FeatureStage.class, FeatureSet.class, MetricsSource.class}, configurationPid = CrossStage.PID)
@PluginName(CrossStage.NAME)
@Designate(ocd = CrossStage.Config.class)
public class CrossStage extends AppendingStage implements MetricsSource {
    static final String PID = "io.amoskys.stage.cross";
    static final String NAME = "cross";
    static final int VERSION = 1;

    @ObjectClassDefinition(name = "AMOSKYS cross-feature stage")
    public @interface Config {
        @AttributeDefinition(description = "Most entities whose paired columns are followed at once; the least recently seen goes first")
        int maxEntities() default 10_000;

        @AttributeDefinition(description = "Minutes (wall clock) without an event after which an entity is forgotten")
        int idleMinutes() default 30;
    }

    private final Config config;
    private final List<FeatureDefinition> definitions;
    private final Map<String, List<CrossColumn>> byKind;
    private final EntityTable<EntityState> entities;

    @Activate
    public CrossStage(Config config) {
        super(NAME, VERSION, "Ratios within a vector and time-decayed covariances and correlations of paired columns.");
        this.config = config;
        List<CrossColumn> all = CrossFeatures.all();
        this.definitions = all.stream().map(CrossColumn::definition).toList();
        this.byKind = all.stream().collect(Collectors.groupingBy(c -> c.definition().kind()));
        this.entities = new EntityTable<>(config.maxEntities(), config.idleMinutes() * 60_000_000_000L);
    }

    @Override
    protected double[] compute(TelemetryEvent event, FeatureVector current) {
        List<CrossColumn> columns = byKind.getOrDefault(event.kind(), List.of());
        double[] added = new double[columns.size()];
        EntityState state = null;
        for (int i = 0; i < added.length; i++) {
            CrossColumn c = columns.get(i);
            if (c.of() != null) {
                added[i] = c.of().applyAsDouble(current);
            } else if (state == null) {
                state = entities.get(event.kind() + "|" + current.entityId(), System.nanoTime(), key -> new EntityState(columns));
            }
        }
        if (state != null) {
            synchronized (state) { // once per event, not per column
                for (int i = 0; i < added.length; i++) {
                    CrossColumn c = columns.get(i);
                    if (c.of() == null) {
                        added[i] = state.value(i, c, event.timestampNanos(), current);
                    }
                }
            }
        }
        return added;
    }

    /** What one entity's stateful columns need: when it was first seen, and a covariance per pair column. */
    private static final class EntityState {
        final DecayedCovariance[] pairs;
        long first = Long.MAX_VALUE;
        long newest = Long.MIN_VALUE;

        EntityState(List<CrossColumn> columns) {
            pairs = new DecayedCovariance[columns.size()];
            for (int i = 0; i < pairs.length; i++) {
                CrossColumn.Pair pair = columns.get(i).pair();
                pairs[i] = pair == null ? null : new DecayedCovariance(pair.tauNanos());
            }
        }

        double value(int column, CrossColumn c, long t, FeatureVector v) {
            first = Math.min(first, t);
            newest = Math.max(newest, t);
            if (c.burst() != null) {
                return c.burst().of(v, (newest - first) / 1e9);
            }
            DecayedCovariance pair = pairs[column];
            pair.add(t, CrossColumn.value(v, c.pair().x()), CrossColumn.value(v, c.pair().y()));
            return c.pair().correlation() ? pair.correlation() : pair.covariance();
        }
    }

    @Override
    public List<FeatureDefinition> definitions() {
        return definitions;
    }

    @Override
    public FeatureStage detached() {
        return new CrossStage(config);
    }

    @Override
    public void writePrometheus(StringBuilder out) {
        EntityTableMetrics.write(NAME, entities, out);
    }
}
