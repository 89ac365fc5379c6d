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
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands exchanges to the plugin that serves one {@code amoskys:KIND/NAME}, looked up at message
 * time. While no plugin serves the name, exchanges wait here, in order, up to a capacity; past it
 * they are dead-lettered. When the plugin arrives the waiting exchanges are delivered first, on
 * the gate's own thread, and continue their routes from there.
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

    final LongAdder delivered = new LongAdder();
    final LongAdder filtered = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder deadLettered = new LongAdder();

    PluginGate(String uri, PluginKind kind, String name, PluginRegistry registry, DeadLetters deadLetters,
            int capacity, ExecutorService drainer) {
        this.uri = uri;
        this.kind = kind;
        this.name = name;
        this.registry = registry;
        this.deadLetters = deadLetters;
        this.capacity = capacity;
        this.drainer = drainer;
    }

    /** Camel's async contract: returns true when done synchronously, else calls back later. */
    boolean process(Exchange exchange, AsyncCallback callback) {
        Plugin plugin;
        synchronized (this) {
            plugin = registry.find(kind, name).orElse(null);
            if (plugin == null || draining || !held.isEmpty()) {
                if (held.size() >= capacity) {
                    deadLetter(exchange, "plugin " + kind.uriName() + "/" + name + " missing and " + capacity
                            + " messages already waiting");
                    callback.done(true);
                    return true;
                }
                held.add(new Held(exchange, callback));
                if (plugin != null) {
                    startDrain();
                }
                return false;
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
        }
        for (Held h : released) {
            deadLetter(h.exchange(), reason);
            h.callback().done(false);
        }
    }

    private void startDrain() {
        if (!draining) {
            draining = true;
            drainer.execute(this::drain);
        }
    }

    private void drain() {
        while (true) {
            Held next;
            Plugin plugin;
            synchronized (this) {
                plugin = registry.find(kind, name).orElse(null);
                next = plugin == null ? null : held.poll();
                if (next == null) {
                    draining = false;
                    return;
                }
            }
            deliver(plugin, next.exchange());
            next.callback().done(false);
        }
    }

    private void deliver(Plugin plugin, Exchange exchange) {
        delivered.increment();
        try {
            if (!PluginInvoker.invoke(kind, plugin.service(), exchange, uri)) {
                filtered.increment();
                exchange.setRouteStop(true);
            }
        } catch (RuntimeException e) {
            failed.increment();
            exchange.setException(new PluginFailedException(uri, plugin.bundle(), e));
        }
    }

    private void deadLetter(Exchange exchange, String reason) {
        deadLettered.increment();
        deadLetters.record(uri, reason, exchange.getMessage().getBody());
        exchange.setRouteStop(true);
        LOG.debug("Dead-lettered a message for {}: {}", uri, reason);
    }
}
