package io.amoskys.alerts.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * An active suppression as {@code admit} matches it, with the hits not yet written. Its fields are
 * fixed; hits are counted by any thread and written by the store's writer.
 */
final class Suppression {
    final String id;
    final String rule;
    final String entity;
    /** 0: never. */
    final long expiresMs;
    private final Pattern rulePattern;
    private final Pattern entityPattern;
    final LongAdder pendingHits = new LongAdder();
    final AtomicLong lastHitMs = new AtomicLong();

    Suppression(String id, String rule, String entity, long expiresMs) {
        this.id = id;
        this.rule = rule;
        this.entity = entity;
        this.expiresMs = expiresMs;
        this.rulePattern = Glob.isPattern(rule) ? Glob.regex(rule) : null;
        this.entityPattern = Glob.isPattern(entity) ? Glob.regex(entity) : null;
    }

    boolean exact() {
        return rulePattern == null && entityPattern == null;
    }

    boolean activeAt(long nowMs) {
        return expiresMs == 0 || nowMs < expiresMs;
    }

    boolean matches(String alertRule, String alertEntity) {
        return (rulePattern == null ? rule.equals(alertRule) : rulePattern.matcher(alertRule).matches())
                && (entityPattern == null ? entity.equals(alertEntity) : entityPattern.matcher(alertEntity).matches());
    }

    void hit(long nowMs) {
        pendingHits.increment();
        lastHitMs.accumulateAndGet(nowMs, Math::max);
    }
}
