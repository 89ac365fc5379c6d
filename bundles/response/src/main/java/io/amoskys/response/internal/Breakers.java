package io.amoskys.response.internal;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The circuit breakers: one over all responders (opened by the global rate) and one per
 * responder (opened by its failures in a row, so a receiver that is down does not stop blocks).
 * An opening is written with its receipt in the caller's transaction and read back at start,
 * so neither a restart nor a configuration change closes a breaker; only its cool-down or an
 * operator does. Failures in a row are counted in memory and start again from zero.
 */
final class Breakers {
    static final String ALL = "*";

    private final int failuresToOpen;
    private final long cooldownMs;
    private final CircuitBreaker all;
    private final Map<String, CircuitBreaker> own = new ConcurrentHashMap<>();

    Breakers(int failuresToOpen, long cooldownMs, Map<String, ActionStore.OpenBreaker> kept) {
        this.failuresToOpen = failuresToOpen;
        this.cooldownMs = cooldownMs;
        this.all = new CircuitBreaker(failuresToOpen, cooldownMs);
        kept.forEach((name, open) -> (ALL.equals(name) ? all : of(name)).restore(open));
    }

    CircuitBreaker all() {
        return all;
    }

    CircuitBreaker of(String responder) {
        return own.computeIfAbsent(responder, n -> new CircuitBreaker(failuresToOpen, cooldownMs));
    }

    /** Why the responder may not start actions now (the breaker over all, or its own), or empty. */
    String openReason(String responder, long nowMs) {
        String global = all.openReason(nowMs);
        return global.isEmpty() ? of(responder).openReason(nowMs) : global;
    }

    /** Opens the breaker over all responders. Inside a transaction of {@code store}. */
    void openAll(String why, long nowMs, ActionStore store) throws SQLException {
        store.breakerOpened(ALL, all.open(why, nowMs), nowMs);
    }

    /** Counts a failed attempt of the responder. Inside a transaction of {@code store}. */
    void failed(String responder, long nowMs, ActionStore store) throws SQLException {
        ActionStore.OpenBreaker opened = of(responder).failed(nowMs);
        if (opened != null) {
            store.breakerOpened(responder, opened, nowMs);
        }
    }

    void succeeded(String responder) {
        of(responder).succeeded();
    }

    /** What is open now, as "all responders: why" and "name: why". */
    List<String> open(long nowMs) {
        List<String> open = new ArrayList<>();
        if (!all.openReason(nowMs).isEmpty()) {
            open.add("all responders: " + all.openReason(nowMs));
        }
        new TreeMap<>(own).forEach((name, breaker) -> {
            if (!breaker.openReason(nowMs).isEmpty()) {
                open.add(name + ": " + breaker.openReason(nowMs));
            }
        });
        return open;
    }

    /** Closes every breaker (the store's record of them is the caller's). */
    void reset(long nowMs) {
        all.reset(nowMs);
        own.values().forEach(b -> b.reset(nowMs));
    }

    long openings() {
        return all.timesOpened() + own.values().stream().mapToLong(CircuitBreaker::timesOpened).sum();
    }
}
