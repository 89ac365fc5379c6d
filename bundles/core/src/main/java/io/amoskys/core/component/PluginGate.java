package io.amoskys.core.component;

import io.amoskys.api.PluginKind;
import io.amoskys.core.plugins.Plugin;
import io.amoskys.core.plugins.PluginRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands exchanges to the plugin that serves one {@code amoskys:KIND/NAME}, looked up at message
 * time. While no plugin serves the name, exchanges wait here, in order, up to a capacity; past it
 * they are dead-lettered. When the plugin arrives the waiting exchanges are delivered first, on
 * the gate's own thread, and continue their routes from there; new exchanges queue behind them,
 * and when the queue is full their senders wait for room rather than lose anything. A detector
 * gate with a {@link DetectorBatcher} hands the exchanges that pass it to the batcher instead of
 * calling the detector itself.
 */
final class PluginGate {
    private static final Logger LOG = LoggerFactory.getLogger(PluginGate.class);

    /** {@code arrival}: when the message reached the gate or its batch, so that a batch sent back keeps its place. */
    private record Held(Exchange exchange, AsyncCallback callback, long arrival) {}

    /** How long a route that stops waits for the detector batches in flight to go through. */
    private static final long FLUSH_ON_RELEASE_MILLIS = 10_000;

    private final String uri;
    private final PluginKind kind;
    private final String name;
    private final PluginRegistry registry;
    private final DeadLetters deadLetters;
    private final int capacity;
    private final ExecutorService drainer;

    private ArrayDeque<Held> held = new ArrayDeque<>(); // guarded by this
    private final AtomicLong arrivals = new AtomicLong();
    private boolean draining; // guarded by this

    private final EndpointCounters counters;
    /** Null: each message is handed to the plugin alone, on the sender's thread. */
    private DetectorBatcher batcher;

    private final AlertAdmission admission;
    private volatile AlertFilter alertFilter = AlertFilter.ALL;

    PluginGate(String uri, PluginKind kind, String name, PluginRegistry registry, DeadLetters deadLetters,
            int capacity, ExecutorService drainer, EndpointCounters counters, AlertAdmission admission) {
        this.counters = counters;
        this.admission = admission;
        this.uri = uri;
        this.kind = kind;
        this.name = name;
        this.registry = registry;
        this.deadLetters = deadLetters;
        this.capacity = capacity;
        this.drainer = drainer;
    }

    private volatile boolean skipWhenMissing;

    /** Responders only: the alerts this one is handed (the others pass it by untouched). */
    void filterAlerts(AlertFilter filter) {
        this.alertFilter = filter;
    }

    /** While the plugin is missing, messages stop here (counted as filtered) instead of waiting. */
    void skipWhenMissing(boolean skip) {
        this.skipWhenMissing = skip;
    }

    /** From now on, messages that pass the gate are scored in batches (detectors only). */
    void batchWith(DetectorBatcher batcher) {
        this.batcher = batcher;
    }

    DetectorBatcher batcher() {
        return batcher;
    }

    /**
     * Camel's async contract: returns true when done synchronously, else calls back later.
     *
     * <p>While the plugin is missing, the exchange waits (or, past the capacity, is
     * dead-lettered). While the plugin is back but earlier exchanges still wait, it queues behind
     * them so that order is kept; when the queue is full it waits for room instead (back-pressure
     * on the sender), since the plugin is there to take it.
     */
    boolean process(Exchange exchange, AsyncCallback callback) {
        Plugin plugin;
        synchronized (this) {
            while (true) {
                plugin = registry.find(kind, name).orElse(null);
                if (plugin == null && skipWhenMissing && held.isEmpty()) {
                    counters.filtered.add(EventBatch.events(exchange.getMessage().getBody()));
                    exchange.setRouteStop(true);
                    callback.done(true);
                    return true;
                }
                if (plugin == null) {
                    if (held.size() >= capacity) {
                        deadLetter(exchange, "plugin " + kind.uriName() + "/" + name + " missing and " + capacity
                                + " messages already waiting");
                        callback.done(true);
                        return true;
                    }
                    held.add(new Held(exchange, callback, arrivals.incrementAndGet()));
                    return false;
                }
                if (held.isEmpty() && !draining) {
                    break;
                }
                startDrain();
                if (held.size() < capacity) {
                    held.add(new Held(exchange, callback, arrivals.incrementAndGet()));
                    return false;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    deadLetter(exchange, "interrupted while waiting for room behind earlier messages");
                    callback.done(true);
                    return true;
                }
            }
        }
        if (batcher != null) {
            return batcher.add(exchange, callback, true);
        }
        deliver(plugin, exchange);
        callback.done(true);
        return true;
    }

    /** The plugin that serves this gate now, or null. */
    Plugin plugin() {
        return registry.find(kind, name).orElse(null);
    }

    String uri() {
        return uri;
    }

    EndpointCounters counters() {
        return counters;
    }

    /** The order in which messages reached this gate or its detector's batches. */
    long nextArrival() {
        return arrivals.incrementAndGet();
    }

    /**
     * Gathered exchanges whose detector left before they were scored: they wait again, in the
     * order in which they arrived among those waiting (so the capacity may be passed by at most
     * those batches).
     */
    void requeue(List<DetectorBatcher.Pending> pending) {
        if (skipWhenMissing) { // an optional branch: they stop here, as new ones would
            for (DetectorBatcher.Pending p : pending) {
                counters.filtered.add(EventBatch.events(p.exchange().getMessage().getBody()));
                p.exchange().setRouteStop(true);
                p.callback().done(false);
            }
            return;
        }
        synchronized (this) {
            ArrayDeque<Held> merged = new ArrayDeque<>(held.size() + pending.size());
            int next = 0;
            for (Held h : held) {
                while (next < pending.size() && pending.get(next).arrival() < h.arrival()) {
                    DetectorBatcher.Pending p = pending.get(next++);
                    merged.add(new Held(p.exchange(), p.callback(), p.arrival()));
                }
                merged.add(h);
            }
            while (next < pending.size()) {
                DetectorBatcher.Pending p = pending.get(next++);
                merged.add(new Held(p.exchange(), p.callback(), p.arrival()));
            }
            held = merged;
            if (registry.find(kind, name).isPresent()) {
                startDrain(); // it came back meanwhile
            }
        }
    }

    synchronized void pluginChanged() {
        if (!held.isEmpty() && registry.find(kind, name).isPresent()) {
            startDrain();
        }
    }

    synchronized int heldCount() {
        return held.size();
    }

    int capacity() {
        return capacity;
    }

    boolean available() {
        return registry.find(kind, name).isPresent();
    }

    /**
     * Dead-letters the waiting exchanges of the given routes (all when {@code routeIds} is null),
     * so that those routes can stop without waiting for a plugin that may never come.
     */
    void release(Collection<String> routeIds, String reason) {
        if (batcher != null) {
            // Batches gathered for these routes go through first; any whose detector left meanwhile
            // come back here and are released below.
            try {
                batcher.flushAndWait(FLUSH_ON_RELEASE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Held> released = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
                Held h = it.next();
                if (routeIds == null || routeIds.contains(h.exchange().getFromRouteId())) {
                    it.remove();
                    released.add(h);
                }
            }
            notifyAll();
        }
        for (Held h : released) {
            deadLetter(h.exchange(), reason);
            h.callback().done(false);
        }
    }

    private void startDrain() {
        if (!draining) {
            drainer.execute(this::drain);
            draining = true;
        }
    }

    private void drain() {
        boolean scope = BatchScope.open();
        try {
            while (true) {
                Held next;
                Plugin plugin;
                synchronized (this) {
                    plugin = registry.find(kind, name).orElse(null);
                    next = plugin == null ? null : held.poll();
                    notifyAll(); // room in the queue, or the drain is over: senders waiting re-check
                    if (next == null) {
                        return;
                    }
                }
                if (batcher != null) {
                    batcher.add(next.exchange(), next.callback(), false);
                    continue;
                }
                try {
                    deliver(plugin, next.exchange());
                } finally {
                    next.callback().done(false);
                }
            }
        } finally {
            BatchScope.close(scope); // what this drain gathered into batches is scored now
            synchronized (this) {
                draining = false;
                notifyAll();
                // A plugin that arrived while this drain was ending must not leave messages behind.
                if (!held.isEmpty() && registry.find(kind, name).isPresent()) {
                    startDrain();
                }
            }
        }
    }

    private void deliver(Plugin plugin, Exchange exchange) {
        if (exchange.getMessage().getBody() instanceof EventBatch batch) {
            EventBatch next = BatchInvoker.invoke(kind, plugin, batch, uri, admission, alertFilter, counters);
            exchange.getMessage().setBody(next);
            if (next.size() == 0) {
                exchange.setRouteStop(true); // each event was counted where it dropped out
            }
            return;
        }
        counters.delivered.increment();
        try {
            if (!PluginInvoker.invoke(kind, plugin.service(), exchange, uri, admission, alertFilter)) {
                counters.filtered.increment();
                exchange.setRouteStop(true);
            }
        } catch (Throwable e) {
            // Errors too: a LinkageError from a bundle being updated, a plugin's StackOverflowError.
            counters.failed.increment();
            exchange.setException(new PluginFailedException(uri, plugin.bundle(), e));
            if (e instanceof VirtualMachineError vmError && !(e instanceof StackOverflowError)) {
                throw vmError; // out of memory: nothing here can help
            }
        }
    }

    void deadLetter(Exchange exchange, String reason) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof EventBatch batch) {
            for (EventBatch.Item item : batch.items()) { // one line per event, as unbatched routes write
                counters.deadLettered.increment();
                deadLetters.record(uri, reason, item.body());
            }
        } else {
            counters.deadLettered.increment();
            deadLetters.record(uri, reason, body);
        }
        exchange.setRouteStop(true);
        LOG.debug("Dead-lettered a message for {}: {}", uri, reason);
    }
}
