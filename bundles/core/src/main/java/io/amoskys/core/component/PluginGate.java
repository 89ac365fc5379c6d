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
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands exchanges to the plugin that serves one {@code amoskys:KIND/NAME}, looked up at message
 * time. While no plugin serves the name, exchanges wait here, in order, up to a capacity; past it
 * they are dead-lettered. When the plugin arrives the waiting exchanges are delivered first, on
 * the gate's own thread, and continue their routes from there; new exchanges queue behind them,
 * and when the queue is full their senders wait for room rather than lose anything.
 */
final class PluginGate {
    private static final Logger LOG = LoggerFactory.getLogger(PluginGate.class);

    private record Held(Exchange exchange, AsyncCallback callback) {}

    private final String uri;
    private final PluginKind kind;
    private final String name;
    private final PluginRegistry registry;
    private final DeadLetters deadLetters;
    private final int capacity;
    private final ExecutorService drainer;

    private final ArrayDeque<Held> held = new ArrayDeque<>(); // guarded by this
    private boolean draining; // guarded by this

    private final EndpointCounters counters;

    PluginGate(String uri, PluginKind kind, String name, PluginRegistry registry, DeadLetters deadLetters,
            int capacity, ExecutorService drainer, EndpointCounters counters) {
        this.counters = counters;
        this.uri = uri;
        this.kind = kind;
        this.name = name;
        this.registry = registry;
        this.deadLetters = deadLetters;
        this.capacity = capacity;
        this.drainer = drainer;
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
                if (plugin == null) {
                    if (held.size() >= capacity) {
                        deadLetter(exchange, "plugin " + kind.uriName() + "/" + name + " missing and " + capacity
                                + " messages already waiting");
                        callback.done(true);
                        return true;
                    }
                    held.add(new Held(exchange, callback));
                    return false;
                }
                if (held.isEmpty() && !draining) {
                    break;
                }
                startDrain();
                if (held.size() < capacity) {
                    held.add(new Held(exchange, callback));
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
        deliver(plugin, exchange);
        callback.done(true);
        return true;
    }

    /** The plugin for this gate may have arrived: deliver what waits. */
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
                try {
                    deliver(plugin, next.exchange());
                } finally {
                    next.callback().done(false);
                }
            }
        } finally {
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
        counters.delivered.increment();
        try {
            if (!PluginInvoker.invoke(kind, plugin.service(), exchange, uri)) {
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

    private void deadLetter(Exchange exchange, String reason) {
        counters.deadLettered.increment();
        deadLetters.record(uri, reason, exchange.getMessage().getBody());
        exchange.setRouteStop(true);
        LOG.debug("Dead-lettered a message for {}: {}", uri, reason);
    }
}
