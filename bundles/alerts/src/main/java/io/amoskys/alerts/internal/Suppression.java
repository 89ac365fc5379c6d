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
    /** What an exact rule or entity matches (its escapes taken out); null for a pattern. */
    final String ruleLiteral;
    final String entityLiteral;
    private final Pattern rulePattern;
    private final Pattern entityPattern;
    final LongAdder pendingHits = new LongAdder();
    final AtomicLong lastHitMs = new AtomicLong();

    Suppression(String id, String rule, String entity, long expiresMs) {
        this.id = id;
        this.rule = rule;
        this.entity = entity;
        this.expiresMs = expiresMs;
        this.ruleLiteral = Glob.literal(rule);
        this.entityLiteral = Glob.literal(entity);
        this.rulePattern = ruleLiteral == null ? Glob.regex(rule) : null;
        this.entityPattern = entityLiteral == null ? Glob.regex(entity) : null;
    }

    boolean exact() {
        return ruleLiteral != null && entityLiteral != null;
    }

    boolean activeAt(long nowMs) {
        return expiresMs == 0 || nowMs < expiresMs;
    }

    boolean matches(String alertRule, String alertEntity) {
        return (rulePattern == null ? ruleLiteral.equals(alertRule) : rulePattern.matcher(alertRule).matches())
                && (entityPattern == null ? entityLiteral.equals(alertEntity) : entityPattern.matcher(alertEntity).matches());
    }

    void hit(long nowMs) {
        pendingHits.increment();
        lastHitMs.accumulateAndGet(nowMs, Math::max);
    }
}
