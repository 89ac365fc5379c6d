package io.amoskys.stage.cross;

import io.amoskys.api.FeatureStage;
import io.amoskys.api.PluginName;
import io.amoskys.api.admin.MetricsSource;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.api.feature.AppendingStage;
import io.amoskys.api.feature.FeatureDefinition;
import io.amoskys.api.feature.FeatureSet;
import io.amoskys.feature.stats.DecayFactor;
import io.amoskys.feature.stats.DecayedCovariance;
import io.amoskys.feature.stats.EntityTable;
import io.amoskys.feature.stats.EntityTableMetrics;
import java.util.HashMap;
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
    private final Map<String, CrossFeatures.Kind> byKind;
    private final EntityTable<EntityState> entities;

    @Activate
    public CrossStage(Config config) {
        super(NAME, VERSION, "Ratios within a vector and time-decayed covariances and correlations of paired columns.");
        this.config = config;
        List<CrossFeatures.Kind> all = CrossFeatures.all();
        this.definitions = all.stream().flatMap(k -> k.columns().stream()).map(CrossColumn::definition).toList();
        this.byKind = all.stream().collect(Collectors.toUnmodifiableMap(CrossFeatures.Kind::kind, Function.identity()));
        this.entities = new EntityTable<>(config.maxEntities(), config.idleMinutes() * 60_000_000_000L);
    }

    @Override
    protected double[] compute(TelemetryEvent event, FeatureVector current) {
        CrossFeatures.Kind kind = byKind.get(event.kind());
        if (kind == null) {
            return null;
        }
        List<CrossColumn> columns = kind.columns();
        double[] in = kind.inputs().read(current);
        double[] added = new double[columns.size()];
        EntityState state = null;
        for (int i = 0; i < added.length; i++) {
            CrossColumn c = columns.get(i);
            if (c.of() != null) {
                added[i] = c.of().applyAsDouble(in);
            } else if (state == null) {
                state = entities.get(event.kind(), current.entityId(), null, System.nanoTime(), () -> new EntityState(columns));
            }
        }
        if (state != null) {
            synchronized (state) { // once per event, not per column
                for (int i = 0; i < added.length; i++) {
                    CrossColumn c = columns.get(i);
                    if (c.of() == null) {
                        added[i] = state.value(i, c, event.timestampNanos(), in);
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
            Map<Long, DecayFactor> factors = new HashMap<>(); // pairs of one time constant share the factors
            for (int i = 0; i < pairs.length; i++) {
                CrossColumn.Pair pair = columns.get(i).pair();
                pairs[i] = pair == null ? null : new DecayedCovariance(factors.computeIfAbsent(pair.tauNanos(), DecayFactor::new));
            }
        }

        /** The shortfalls of the last burst computed: an event's bursts share the age and time constants. */
        private double shortfallAge = Double.NaN;
        private double shortfallTauFast;
        private double shortfallTauSlow;
        private double fastShortfall;
        private double slowShortfall;

        private double burst(CrossColumn.Burst burst, double[] in, double age) {
            if (age != shortfallAge || burst.tauFastSeconds() != shortfallTauFast || burst.tauSlowSeconds() != shortfallTauSlow) {
                shortfallAge = age;
                shortfallTauFast = burst.tauFastSeconds();
                shortfallTauSlow = burst.tauSlowSeconds();
                fastShortfall = CrossColumn.Burst.shortfall(age, shortfallTauFast);
                slowShortfall = CrossColumn.Burst.shortfall(age, shortfallTauSlow);
            }
            return burst.of(in, age, fastShortfall, slowShortfall);
        }

        double value(int column, CrossColumn c, long t, double[] in) {
            first = Math.min(first, t);
            newest = Math.max(newest, t);
            if (c.burst() != null) {
                return burst(c.burst(), in, (newest - first) / 1e9);
            }
            DecayedCovariance pair = pairs[column];
            pair.add(t, in[c.pair().x()], in[c.pair().y()]);
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
