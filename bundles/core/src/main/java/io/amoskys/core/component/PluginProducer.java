package io.amoskys.core.component;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;

/** Sends exchanges through the endpoint's gate to its plugin. */
final class PluginProducer extends DefaultAsyncProducer {
    private final PluginGate gate;

    PluginProducer(PluginEndpoint endpoint, PluginGate gate) {
        super(endpoint);
        this.gate = gate;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        return gate.process(exchange, callback);
    }
}
