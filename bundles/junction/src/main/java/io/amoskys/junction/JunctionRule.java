package io.amoskys.junction;

import io.amoskys.api.PluginName;
import io.amoskys.api.Responder;
import io.amoskys.api.admin.MetricsSource;
import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Contribution;
import io.amoskys.api.event.Response;
import io.amoskys.api.event.Score;
import io.amoskys.api.event.Severity;
import io.amoskys.api.rule.InputRule;
import io.amoskys.api.rule.RuleInput;
import io.amoskys.feature.stats.EntityTable;
import io.amoskys.model.runtime.admin.ModelAdmin;
import io.amoskys.model.runtime.admin.ModelStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The score junction: rule {@code junction} fuses the scores detectors gave each observation
 * ({@link ThreatFusion}) into a threat, keeps each entity's risk ({@link EntityRisk}: the recent
 * peak, halving over time, plus rule hits) and raises an alert when an entity's risk reaches a
 * severity worth a person's time, with an explanation: which detectors, their weights and
 * margins, their top features, and the rule hits. As responder {@code junction} it takes the
 * alerts of other rules (Sigma) as hits on their entity. docs/JUNCTION.md.
 */
@Component(service = {InputRule.class, io.amoskys.api.CorrelationRule.class, Responder.class, MetricsSource.class, JunctionRule.class},
        configurationPid = JunctionRule.PID)
@PluginName("junction")
@Designate(ocd = JunctionRule.Config.class)
public class JunctionRule implements InputRule, Responder, MetricsSource {
    static final String PID = "io.amoskys.junction";
    static final String NAME = "junction";

    @ObjectClassDefinition(name = "AMOSKYS score junction")
    public @interface Config {
        @AttributeDefinition(description = "Weight per detector, 'name=weight' separated by commas (others weigh 10): "
                + "log-odds added per unit of score above the detector's threshold")
        String weights() default "";

        @AttributeDefinition(description = "Log-odds before any evidence (0: one detector at its threshold is a threat of 0.5)")
        double bias() default 0;

        @AttributeDefinition(description = "Threshold per detector, 'name=threshold' separated by commas, for detectors "
                + "without a model (model detectors use their model's threshold); others 0.5")
        String thresholds() default "zscore=0.75";

        @AttributeDefinition(description = "Minutes in which an entity's risk halves")
        double halfLifeMinutes() default 10;

        @AttributeDefinition(description = "Risk from which a severity applies: low, medium, high, critical")
        String severities() default "low=0.2,medium=0.5,high=0.8,critical=0.95";

        @AttributeDefinition(description = "Lowest severity that raises an alert")
        String minSeverity() default "medium";

        @AttributeDefinition(description = "Seconds before an entity whose severity has not risen alerts again")
        long cooldownSeconds() default 600;

        @AttributeDefinition(description = "Evidence of a rule hit, by the hit's severity (probability that it is real)")
        String ruleHits() default "info=0.05,low=0.2,medium=0.5,high=0.8,critical=0.95";

        @AttributeDefinition(description = "Most entities whose risk is kept (least recently seen forgotten first)")
        int maxEntities() default 100_000;

        @AttributeDefinition(description = "Minutes (wall clock) without news after which an entity is forgotten")
        int idleMinutes() default 240;
    }

    private final ThreatFusion fusion;
    private final Map<String, Double> configuredThresholds;
    private final Map<Severity, Double> severityFrom;
    private final Map<Severity, Double> ruleHitEvidence;
    private final Severity minSeverity;
    private final long cooldownNanos;
    private final long halfLifeNanos;
    private final EntityTable<EntityRisk> entities;
    private final LongAdder observations = new LongAdder();
    private final LongAdder ruleHitsSeen = new LongAdder();
    private final LongAdder alertsRaised = new LongAdder();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile ModelAdmin models;

    @Activate
    public JunctionRule(Config config) {
        this.fusion = new ThreatFusion(Settings.numbers("weights", config.weights()), config.bias());
        this.configuredThresholds = Settings.numbers("thresholds", config.thresholds());
        this.severityFrom = Settings.severities("severities", config.severities());
        this.ruleHitEvidence = Settings.severities("ruleHits", config.ruleHits());
        this.minSeverity = Settings.severity("minSeverity", config.minSeverity());
        if (config.halfLifeMinutes() <= 0 || config.cooldownSeconds() < 0) {
            throw new IllegalArgumentException(PID + ": halfLifeMinutes must be > 0 and cooldownSeconds >= 0");
        }
        this.halfLifeNanos = (long) (config.halfLifeMinutes() * 60e9);
        this.cooldownNanos = TimeUnit.SECONDS.toNanos(config.cooldownSeconds());
        this.entities = new EntityTable<>(config.maxEntities(), TimeUnit.MINUTES.toNanos(config.idleMinutes()));
    }

    /** A bare score: an observation with that score alone. */
    @Override
    public List<Alert> evaluate(Score score) {
        return observe(score.entityId(), score.timestampNanos(), null, List.of(score), List.of());
    }

    /**
     * An observation's scores. Routes that send each detector's score down its own branch (a
     * multicast) deliver one observation's scores one at a time: scores of the same event are
     * fused together, each new one with those before it.
     */
    @Override
    public List<Alert> evaluate(RuleInput input) {
        if (input.scores().isEmpty()) {
            return List.of();
        }
        Score first = input.scores().get(0);
        String eventId = input.event() == null ? null : input.event().id();
        List<String> evidence = eventId == null ? List.of() : List.of(eventId);
        return observe(first.entityId(), first.timestampNanos(), eventId, input.scores(), evidence);
    }

    private List<Alert> observe(String entity, long tNanos, String eventId, List<Score> scores, List<String> eventIds) {
        observations.increment();
        EntityRisk state = entities.get(entity, System.nanoTime(), key -> new EntityRisk(halfLifeNanos));
        synchronized (state) {
            state.observe(eventId, tNanos, scores, all -> fusion.fuse(all, this::threshold));
            return maybeAlert(entity, state, eventIds);
        }
    }

    /** Another rule's alert raises its entity's risk; the next observation of it may alert. */
    @Override
    public Response respond(Alert alert) {
        if (NAME.equals(alert.rule())) {
            return new Response(NAME, alert.id(), Response.Outcome.SKIPPED, "the junction's own alert");
        }
        ruleHitsSeen.increment();
        double evidence = ruleHitEvidence.getOrDefault(alert.severity(), 0.0);
        EntityRisk state = entities.get(alert.entityId(), System.nanoTime(), key -> new EntityRisk(halfLifeNanos));
        double risk;
        synchronized (state) {
            state.ruleHit(alert.timestampNanos(), alert, evidence);
            risk = state.risk();
        }
        return new Response(NAME, alert.id(), Response.Outcome.DONE,
                String.format(Locale.ROOT, "rule hit %s added to %s: risk %.3f", alert.rule(), alert.entityId(), risk));
    }

    /**
     * The detector's threshold: configured, or its active model's. Models' thresholds are read from
     * the model runtime at most every {@value #THRESHOLD_REFRESH_SECONDS} s, not per score (the
     * catalogue is shared and locked).
     */
    double threshold(String detector) {
        Double configured = configuredThresholds.get(detector);
        if (configured != null) {
            return configured;
        }
        return modelThresholds().getOrDefault(detector, 0.5);
    }

    static final long THRESHOLD_REFRESH_SECONDS = 10;
    private volatile Map<String, Double> modelThresholds = Map.of();
    private volatile long thresholdsReadNanos = Long.MIN_VALUE;

    private Map<String, Double> modelThresholds() {
        long now = System.nanoTime();
        if (thresholdsReadNanos != Long.MIN_VALUE && now - thresholdsReadNanos < TimeUnit.SECONDS.toNanos(THRESHOLD_REFRESH_SECONDS)) {
            return modelThresholds;
        }
        Map<String, Double> read = new java.util.HashMap<>();
        ModelAdmin admin = models;
        if (admin != null) {
            for (ModelStatus m : admin.models()) {
                if ("active".equals(m.state()) && !Double.isNaN(m.threshold())) {
                    read.put(m.name(), m.threshold());
                }
            }
        }
        modelThresholds = Map.copyOf(read);
        thresholdsReadNanos = now;
        return modelThresholds;
    }

    Severity severityOf(double risk) {
        Severity found = null;
        for (Map.Entry<Severity, Double> e : severityFrom.entrySet()) {
            if (risk >= e.getValue() && (found == null || e.getKey().compareTo(found) > 0)) {
                found = e.getKey();
            }
        }
        return found;
    }

    private List<Alert> maybeAlert(String entity, EntityRisk state, List<String> eventIds) {
        double risk = state.risk();
        Severity severity = severityOf(risk);
        if (!state.shouldAlert(severity, minSeverity, cooldownNanos)) {
            return List.of();
        }
        alertsRaised.increment();
        ThreatFusion.Fused fused = state.lastObservation();
        List<Score> evidence = new ArrayList<>();
        evidence.add(junctionScore(entity, state, fused, eventIds));
        evidence.addAll(state.lastScores());
        List<String> tags = state.ruleHits().stream().flatMap(a -> a.tags().stream()).distinct().sorted().toList();
        return List.of(Alert.builder()
                .id(UUID.randomUUID().toString())
                .rule(NAME)
                .entityId(entity)
                .timestampNanos(state.clockNanos())
                .severity(severity)
                .title(Explanations.title(entity, risk, severity, fused, state.ruleHits()))
                .scores(evidence)
                .tags(tags)
                .eventIds(eventIds)
                .build());
    }

    /** The fused threat as a score whose contributions are the detectors (and rule hits) with their log-odds. */
    private Score junctionScore(String entity, EntityRisk state, ThreatFusion.Fused fused, List<String> eventIds) {
        List<Contribution> parts = new ArrayList<>();
        for (ThreatFusion.Part p : fused.parts()) {
            parts.add(new Contribution("detector:" + p.detector(), p.score(), p.logOdds()));
        }
        for (Alert hit : state.ruleHits()) {
            parts.add(new Contribution("rule:" + hit.rule(), ruleHitEvidence.getOrDefault(hit.severity(), 0.0),
                    ThreatFusion.logit(ruleHitEvidence.getOrDefault(hit.severity(), 0.0))));
        }
        return Score.builder().detector(NAME).modelVersion("fusion").entityId(entity).timestampNanos(state.clockNanos())
                .value(state.risk()).eventIds(eventIds).topContributions(parts).build();
    }

    /** The riskiest entities now (each decayed to the newest time it saw), highest first. */
    public List<EntityThreat> riskiest(int limit) {
        List<EntityThreat> all = new ArrayList<>();
        for (String entity : entities.entities()) {
            EntityRisk state = entities.peek(entity);
            if (state != null) {
                synchronized (state) {
                    double risk = state.risk();
                    all.add(new EntityThreat(entity, risk, severityOf(risk), state.clockNanos(),
                            state.lastObservation() == null ? List.of() : state.lastObservation().parts().stream()
                                    .map(p -> p.detector() + String.format(Locale.ROOT, " %+.2f", p.logOdds())).toList(),
                            state.ruleHits().stream().map(Alert::rule).distinct().toList()));
                }
            }
        }
        all.sort(Comparator.comparingDouble(EntityThreat::risk).reversed().thenComparing(EntityThreat::entity));
        return List.copyOf(all.subList(0, Math.min(limit, all.size())));
    }

    /** One entity's risk for the shell and the dashboard. */
    public record EntityThreat(String entity, double risk, Severity severity, long atNanos, List<String> detectors, List<String> rules) {}

    @Override
    public void writePrometheus(StringBuilder out) {
        family(out, "amoskys_junction_observations_total", "counter", "Observations the junction fused", observations.sum());
        family(out, "amoskys_junction_rule_hits_total", "counter", "Other rules' alerts taken as evidence", ruleHitsSeen.sum());
        family(out, "amoskys_junction_alerts_total", "counter", "Alerts the junction raised", alertsRaised.sum());
        family(out, "amoskys_junction_entities", "gauge", "Entities whose risk the junction keeps", entities.size());
        family(out, "amoskys_junction_entities_evicted_total", "counter", "Entities forgotten to keep memory bounded",
                entities.evictedForCapacity() + entities.evictedIdle());
    }

    private static void family(StringBuilder out, String name, String type, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n')
                .append(name).append(' ').append(value).append('\n');
    }
}
