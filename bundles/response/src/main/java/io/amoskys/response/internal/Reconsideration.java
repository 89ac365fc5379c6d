package io.amoskys.response.internal;

import io.amoskys.api.event.Alert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Alerts a passing guardrail refused to act on: a full rate window, an open circuit breaker, a
 * full queue. The alert store counts later alerts of the same rule and entity into the open alert
 * and does not pass them on, so without this a responder never hears of that entity again while
 * it keeps going: a burst of other alerts (a scan from spoofed sources) that used up the budget
 * would shield the attacker behind it for as long as its alert stays open. {@link ResponseEngine}
 * offers a held alert again once the guardrail has room and the alert store has seen it raised
 * again since the refusal.
 *
 * <p>Bounded: one alert per responder, rule and entity (the latest refusal's), at most
 * {@value #MAX} in all (the one refused longest ago leaves first, counted), each for at most
 * {@link #HOLD}. Thread-safe.
 */
final class Reconsideration {
    static final int MAX = 2_000;
    static final Duration HOLD = Duration.ofHours(1);

    /** An alert refused for {@code responder} at {@code refusedMs}. */
    record Held(String responder, Alert alert, long refusedMs) {
        String key() {
            return key(responder, alert);
        }

        static String key(String responder, Alert alert) {
            return responder + '\u0000' + alert.rule() + '\u0000' + alert.entityId();
        }
    }

    private final Map<String, Held> held = new LinkedHashMap<>();
    private long dropped;
    private long offered;

    /** Holds the alert refused at {@code refusedMs}, in place of any held of its responder, rule and entity. */
    synchronized void hold(String responder, Alert alert, long refusedMs) {
        String key = Held.key(responder, alert);
        held.remove(key); // in refusal order: the one refused longest ago first
        held.put(key, new Held(responder, alert, refusedMs));
        if (held.size() > MAX) {
            Iterator<Held> oldest = held.values().iterator();
            oldest.next();
            oldest.remove();
            dropped++;
        }
    }

    /** What is held, oldest refusal first, after dropping what was held longer than {@link #HOLD}. */
    synchronized List<Held> held(long nowMs) {
        long expired = nowMs - HOLD.toMillis();
        held.values().removeIf(h -> h.refusedMs() < expired);
        return new ArrayList<>(held.values());
    }

    /** Takes {@code h} out to offer it again (a new refusal holds it anew). */
    synchronized boolean take(Held h) {
        return held.remove(h.key(), h);
    }

    /** Lets {@code h} go without offering it. */
    synchronized void drop(Held h) {
        held.remove(h.key(), h);
    }

    /** Counts one alert offered again. */
    synchronized void offered() {
        offered++;
    }

    synchronized int size() {
        return held.size();
    }

    /** Alerts let go because {@value #MAX} others were held. */
    synchronized long dropped() {
        return dropped;
    }

    /** Alerts offered again. */
    synchronized long offeredSoFar() {
        return offered;
    }
}
