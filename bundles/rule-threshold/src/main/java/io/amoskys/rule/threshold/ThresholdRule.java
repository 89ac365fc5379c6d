package io.amoskys.rule.threshold;

import io.amoskys.api.CorrelationRule;
import io.amoskys.api.PluginName;
import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Score;
import io.amoskys.api.event.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Rule {@code threshold}: an alert when a score reaches {@code minScore}, at most one per entity
 * per {@code cooldownSeconds} (measured on the scores' own timestamps), with severity by score.
 */
@Component(configurationPid = ThresholdRule.PID)
@PluginName("threshold")
@Designate(ocd = ThresholdRule.Config.class)
public class ThresholdRule implements CorrelationRule {
    static final String PID = "io.amoskys.rule.threshold";

    @ObjectClassDefinition(name = "AMOSKYS threshold rule")
    public @interface Config {
        @AttributeDefinition(description = "Lowest score that raises an alert, in [0, 1]")
        double minScore() default 0.75;

        @AttributeDefinition(description = "Seconds during which an entity raises no second alert")
        long cooldownSeconds() default 300;

        @AttributeDefinition(description = "Most entities whose last alert is remembered")
        int maxEntities() default 50_000;

        @AttributeDefinition(description = "Highest severity one detector's score may give (info, low, medium, high, "
                + "critical): one anomalous signal is a lead, not a verdict; the score junction raises the severity "
                + "when several detectors and rules agree")
        String maxSeverity() default "medium";
    }

    private final double minScore;
    private final Severity maxSeverity;
    private final long cooldownNanos;
    private final Map<String, Long> lastAlert; // guarded by itself

    @Activate
    public ThresholdRule(Config config) {
        if (!(config.minScore() >= 0 && config.minScore() <= 1) || config.cooldownSeconds() < 0) {
            throw new IllegalArgumentException(PID + ": minScore must be in [0, 1] and cooldownSeconds >= 0");
        }
        this.minScore = config.minScore();
        try {
            this.maxSeverity = Severity.valueOf(config.maxSeverity().trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PID + ": maxSeverity must be one of info, low, medium, high, critical; was "
                    + config.maxSeverity(), e);
        }
        this.cooldownNanos = config.cooldownSeconds() * 1_000_000_000L;
        int max = config.maxEntities();
        this.lastAlert = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > max;
            }
        };
    }

    @Override
    public List<Alert> evaluate(Score score) {
        if (score.value() < minScore) {
            return List.of();
        }
        synchronized (lastAlert) {
            Long last = lastAlert.get(score.entityId());
            if (last != null && score.timestampNanos() - last < cooldownNanos) {
                return List.of();
            }
            lastAlert.put(score.entityId(), score.timestampNanos());
        }
        return List.of(Alert.builder()
                .id(UUID.randomUUID().toString())
                .rule("threshold")
                .entityId(score.entityId())
                .timestampNanos(score.timestampNanos())
                .severity(min(severityOf(score.value()), maxSeverity))
                .title(String.format("%s scored %.2f by %s (threshold %.2f)",
                        score.entityId(), score.value(), score.detector(), minScore))
                .scores(List.of(score))
                .build());
    }

    private static Severity min(Severity a, Severity b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static Severity severityOf(double value) {
        if (value >= 0.95) {
            return Severity.CRITICAL;
        }
        if (value >= 0.9) {
            return Severity.HIGH;
        }
        if (value >= 0.75) {
            return Severity.MEDIUM;
        }
        return value >= 0.5 ? Severity.LOW : Severity.INFO;
    }
}
