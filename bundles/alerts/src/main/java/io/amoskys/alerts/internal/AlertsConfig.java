package io.amoskys.alerts.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "AMOSKYS alerts",
        description = "The alert store: its database, grouping window, evidence kept per alert, suppressions and retention.")
public @interface AlertsConfig {
    @AttributeDefinition(description = "Folder of the alerts' Derby database; empty: ${karaf.data}/amoskys/alerts")
    String dbDir() default "";

    @AttributeDefinition(description = "An alert of the same rule on the same entity within this many seconds (event time) "
            + "of an open alert is counted into it instead of being stored as a new one")
    long groupWindowSeconds() default 600;

    @AttributeDefinition(description = "Evidence event ids kept per alert (the first ones); later ones are counted as dropped")
    int maxEventIdsPerAlert() default 100;

    @AttributeDefinition(description = "Evidence scores kept per alert (the first ones); later ones are counted as dropped")
    int maxScoresPerAlert() default 20;

    @AttributeDefinition(description = "Resolved and false-positive alerts are deleted this many days after they were closed, "
            + "and expired or removed suppressions this many days after they stopped; 0 keeps them")
    int retentionDays() default 30;

    @AttributeDefinition(description = "How often retention runs, in minutes")
    int retentionEveryMinutes() default 60;

    @AttributeDefinition(description = "Most suppressions active at once; more are refused")
    int maxActiveSuppressions() default 10_000;

    @AttributeDefinition(description = "Most alerts open (new or acknowledged) at once. Past it the store resolves "
            + "the excess itself, as user amoskys with a comment in the alert's history: new alerts before acknowledged "
            + "ones, the lowest severity first, then the least recently raised")
    int maxOpenAlerts() default 100_000;

    @AttributeDefinition(description = "Open alerts remembered in memory for grouping (the least recently used are "
            + "forgotten and looked up in the database when needed)")
    int openAlertCache() default 10_000;

    @AttributeDefinition(description = "Alerts and changes waiting for the store's writer; callers wait when it is full")
    int queueCapacity() default 4096;

    @AttributeDefinition(description = "Most alerts written in one transaction (group commit)")
    int maxBatch() default 512;
}
