package io.amoskys.alerts.internal;

import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Contribution;
import io.amoskys.api.event.Score;
import io.amoskys.api.event.Severity;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Alerts for the tests, as rules raise them. */
final class Alerts {
    static final long T0 = TimeUnit.MILLISECONDS.toNanos(1_764_115_200_000L); // 2025-11-26T00:00:00Z

    private Alerts() {}

    static Alert alert(String rule, String entity, long eventNanos, Severity severity, String... eventIds) {
        Score score = Score.builder().detector("iforest").modelVersion("1.0.2").entityId(entity).timestampNanos(eventNanos)
                .value(0.93).eventIds(List.of(eventIds))
                .topContributions(List.of(new Contribution("temporal.syn_rate_1s", 812.0, 0.41),
                        new Contribution("domain.fanout_entropy", 4.2, 0.22)))
                .build();
        return Alert.builder().id(UUID.randomUUID().toString()).rule(rule).entityId(entity).timestampNanos(eventNanos)
                .severity(severity).title(rule + " on " + entity).scores(List.of(score))
                .tags(List.of("attack.t1046", "attack.discovery")).eventIds(List.of(eventIds))
                .groupBy(Map.of("src_ip", entity)).build();
    }

    static Alert alert(String rule, String entity, long eventNanos) {
        return alert(rule, entity, eventNanos, Severity.HIGH, "flow:" + eventNanos);
    }
}
