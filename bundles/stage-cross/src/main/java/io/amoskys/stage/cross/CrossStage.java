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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
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
    private final Map<String, Plan> byKind;
    private final EntityTable<EntityState> entities;

    @Activate
    public CrossStage(Config config) {
        super(NAME, VERSION, "Ratios within a vector and time-decayed covariances and correlations of paired columns.");
        this.config = config;
        List<CrossFeatures.Kind> all = CrossFeatures.all();
        this.definitions = all.stream().flatMap(k -> k.columns().stream()).map(CrossColumn::definition).toList();
        this.byKind = all.stream().collect(Collectors.toUnmodifiableMap(CrossFeatures.Kind::kind, Plan::new));
        this.entities = new EntityTable<>(config.maxEntities(), config.idleMinutes() * 60_000_000_000L);
    }

    @Override
    protected double[] compute(TelemetryEvent event, FeatureVector current) {
        Plan plan = byKind.get(event.kind());
        if (plan == null) {
            return null;
        }
        List<CrossColumn> columns = plan.kind.columns();
        double[] in = plan.kind.inputs().read(current);
        double[] added = new double[columns.size()];
        EntityState state = null;
        for (int i = 0; i < added.length; i++) {
            CrossColumn c = columns.get(i);
            if (c.of() != null) {
                added[i] = c.of().applyAsDouble(in);
            } else if (state == null) {
                state = entities.get(event.kind(), current.entityId(), null, System.nanoTime(), plan.newState);
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

    /** A kind's columns, with the time constants of its pair columns worked out once rather than per new entity. */
    private static final class Plan {
        final CrossFeatures.Kind kind;
        /** The distinct time constants of the pair columns. */
        final long[] taus;
        /** Per column, the index of its time constant in {@link #taus}; -1 for a column without a pair. */
        final int[] tauOfColumn;
        /** One instance, so that getting an entity allocates no lambda. */
        final Supplier<EntityState> newState = () -> new EntityState(this);

        Plan(CrossFeatures.Kind kind) {
            this.kind = kind;
            List<Long> distinct = new ArrayList<>();
            tauOfColumn = new int[kind.columns().size()];
            for (int i = 0; i < tauOfColumn.length; i++) {
                CrossColumn.Pair pair = kind.columns().get(i).pair();
                if (pair != null && !distinct.contains(pair.tauNanos())) {
                    distinct.add(pair.tauNanos());
                }
                tauOfColumn[i] = pair == null ? -1 : distinct.indexOf(pair.tauNanos());
            }
            taus = distinct.stream().mapToLong(Long::longValue).toArray();
        }
    }

    /** What one entity's stateful columns need: when it was first seen, and a covariance per pair column. */
    private static final class EntityState {
        final DecayedCovariance[] pairs;
        long first = Long.MAX_VALUE;
        long newest = Long.MIN_VALUE;

        EntityState(Plan plan) {
            DecayFactor[] factors = new DecayFactor[plan.taus.length]; // pairs of one time constant share the factors
            for (int f = 0; f < factors.length; f++) {
                factors[f] = new DecayFactor(plan.taus[f]);
            }
            pairs = new DecayedCovariance[plan.tauOfColumn.length];
            for (int i = 0; i < pairs.length; i++) {
                int f = plan.tauOfColumn[i];
                pairs[i] = f < 0 ? null : new DecayedCovariance(factors[f]);
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
