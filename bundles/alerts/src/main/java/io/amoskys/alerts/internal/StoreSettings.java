package io.amoskys.alerts.internal;

import java.util.concurrent.TimeUnit;

/** What the store needs of {@link AlertsConfig}, checked. */
public record StoreSettings(long groupWindowNanos, int maxEventIds, int maxScores, int maxActiveSuppressions,
                            int openAlertCache, int queueCapacity, int maxBatch, int maxOpenAlerts) {
    public StoreSettings {
        if (groupWindowNanos < 0 || maxEventIds < 0 || maxScores < 0 || maxActiveSuppressions < 1 || openAlertCache < 1
                || queueCapacity < 1 || maxBatch < 1 || maxOpenAlerts < 1) {
            throw new IllegalArgumentException("alert store settings out of range: " + this);
        }
    }

    public static StoreSettings defaults() {
        return new StoreSettings(TimeUnit.MINUTES.toNanos(10), 100, 20, 10_000, 10_000, 4096, 512, 100_000);
    }

    static StoreSettings of(AlertsConfig c) {
        return new StoreSettings(TimeUnit.SECONDS.toNanos(c.groupWindowSeconds()), c.maxEventIdsPerAlert(),
                c.maxScoresPerAlert(), c.maxActiveSuppressions(), c.openAlertCache(), c.queueCapacity(), c.maxBatch(),
                c.maxOpenAlerts());
    }

    public StoreSettings withGroupWindowNanos(long nanos) {
        return new StoreSettings(nanos, maxEventIds, maxScores, maxActiveSuppressions, openAlertCache, queueCapacity, maxBatch,
                maxOpenAlerts);
    }

    public StoreSettings withEvidence(int eventIds, int scores) {
        return new StoreSettings(groupWindowNanos, eventIds, scores, maxActiveSuppressions, openAlertCache, queueCapacity, maxBatch,
                maxOpenAlerts);
    }

    public StoreSettings withOpenAlertCache(int entries) {
        return new StoreSettings(groupWindowNanos, maxEventIds, maxScores, maxActiveSuppressions, entries, queueCapacity, maxBatch,
                maxOpenAlerts);
    }

    public StoreSettings withMaxActiveSuppressions(int most) {
        return new StoreSettings(groupWindowNanos, maxEventIds, maxScores, most, openAlertCache, queueCapacity, maxBatch,
                maxOpenAlerts);
    }

    public StoreSettings withMaxOpenAlerts(int most) {
        return new StoreSettings(groupWindowNanos, maxEventIds, maxScores, maxActiveSuppressions, openAlertCache, queueCapacity,
                maxBatch, most);
    }
}
