package io.amoskys.stage.domain;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a segment remembers of its ARP bindings, in bounded memory that a flood cannot empty
 * cheaply. A key first goes to a probation part; seen again at least {@code establishNanos} of
 * event time after it was first seen, it moves to an established part. Each part forgets its least
 * recently seen key first, and a key pushed out of the established part goes back to probation.
 * A flood of senders that each appear once (random addresses and hardware addresses) only churns
 * probation, so the gateway's binding is still known when a poisoned reply claims it; to push it
 * out, a flood would have to bring back thousands of its addresses over minutes. Time is the newest
 * event time seen, so that a late or backdated event neither establishes a key early nor a clock
 * ahead keeps one from ever being established. Not thread-safe.
 */
final class Bindings<V> {
    private final int probationSize;
    private final int establishedSize;
    private final long establishNanos;
    private final Map<String, Binding<V>> probation = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, Binding<V>> established = new LinkedHashMap<>(16, 0.75f, true);
    private long newestNanos = Long.MIN_VALUE;

    private static final class Binding<V> {
        V value;
        final long firstSeenNanos;

        Binding(V value, long firstSeenNanos) {
            this.value = value;
            this.firstSeenNanos = firstSeenNanos;
        }
    }

    Bindings(int probationSize, int establishedSize, long establishNanos) {
        this.probationSize = probationSize;
        this.establishedSize = establishedSize;
        this.establishNanos = establishNanos;
    }

    /** Binds {@code key} to {@code value} as seen at {@code tNanos}; @return the value it had, or null when unknown. */
    V put(String key, V value, long tNanos) {
        long now = clock(tNanos);
        Binding<V> binding = seen(key, now);
        if (binding == null) {
            remember(key, new Binding<>(value, now));
            return null;
        }
        V before = binding.value;
        binding.value = value;
        return before;
    }

    /** The value of {@code key}, seen at {@code tNanos}, made by {@code create} when unknown. */
    V computeIfAbsent(String key, long tNanos, Supplier<V> create) {
        long now = clock(tNanos);
        Binding<V> binding = seen(key, now);
        if (binding == null) {
            binding = new Binding<>(create.get(), now);
            remember(key, binding);
        }
        return binding.value;
    }

    private long clock(long tNanos) {
        newestNanos = Math.max(newestNanos, tNanos);
        return newestNanos;
    }

    int size() {
        return probation.size() + established.size();
    }

    /** The key's binding, marked seen at {@code nowNanos} (and established when due), or null. */
    private Binding<V> seen(String key, long nowNanos) {
        Binding<V> binding = established.get(key);
        if (binding != null) {
            return binding;
        }
        binding = probation.get(key);
        if (binding != null && nowNanos - binding.firstSeenNanos >= establishNanos) {
            probation.remove(key);
            established.put(key, binding);
            if (established.size() > establishedSize) {
                Iterator<Map.Entry<String, Binding<V>>> eldest = established.entrySet().iterator();
                Map.Entry<String, Binding<V>> demoted = eldest.next();
                eldest.remove();
                remember(demoted.getKey(), demoted.getValue());
            }
        }
        return binding;
    }

    private void remember(String key, Binding<V> binding) {
        probation.put(key, binding);
        if (probation.size() > probationSize) {
            Iterator<String> eldest = probation.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }
}
