package io.amoskys.core.component;

import io.amoskys.api.Agent;
import io.amoskys.api.PluginKind;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.core.plugins.Plugin;
import io.amoskys.core.plugins.PluginListener;
import io.amoskys.core.plugins.PluginRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * Reads a route's events from an agent: subscribes to the agent serving the name whenever there
 * is one, and follows it as it comes, goes or is replaced.
 */
final class AgentConsumer extends DefaultConsumer implements PluginListener {
    private final PluginRegistry registry;
    private final PluginEndpoint endpoint;
    private final String name;
    private Plugin current; // guarded by this
    private Agent.Subscription subscription; // guarded by this
    private boolean stopped = true; // guarded by this

    AgentConsumer(PluginEndpoint endpoint, Processor processor, PluginRegistry registry) {
        super(endpoint, processor);
        this.registry = registry;
        this.endpoint = endpoint;
        this.name = endpoint.getName();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        synchronized (this) {
            stopped = false;
        }
        registry.addListener(this);
        follow();
    }

    @Override
    protected void doStop() throws Exception {
        registry.removeListener(this);
        synchronized (this) {
            stopped = true;
            unsubscribe();
        }
        super.doStop();
    }

    @Override
    public void pluginChanged(PluginKind kind, String changedName) {
        if (kind == PluginKind.AGENT && name.equals(changedName)) {
            follow();
        }
    }

    private synchronized void follow() {
        if (stopped) {
            return; // a late notice after doStop must not subscribe again
        }
        Plugin agent = registry.find(PluginKind.AGENT, name).orElse(null);
        if (agent == current) {
            return;
        }
        unsubscribe();
        if (agent != null) {
            current = agent;
            subscription = ((Agent) agent.service()).subscribe(this::emit);
        }
    }

    private void unsubscribe() {
        if (subscription != null) {
            subscription.close();
        }
        subscription = null;
        current = null;
    }

    private void emit(TelemetryEvent event) {
        endpoint.eventReceived();
        Exchange exchange = createExchange(false);
        exchange.getMessage().setBody(event);
        exchange.setProperty(PluginInvoker.EVENT_PROPERTY, event);
        getAsyncProcessor().process(exchange, doneSync -> {
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Route failed on " + event, exchange, exchange.getException());
            }
            releaseExchange(exchange, false);
        });
    }
}
