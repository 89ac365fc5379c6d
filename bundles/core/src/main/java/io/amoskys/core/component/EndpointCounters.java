package io.amoskys.core.component;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one endpoint URI. Kept by the component, not the endpoint, so that they carry
 * on when Camel makes a new endpoint for the same URI (a route file reloaded, a route re-added):
 * operators and Prometheus see one monotonic series per URI.
 */
final class EndpointCounters {
    /** Messages handed to the plugin; for an agent, events it delivered to routes. */
    final LongAdder delivered = new LongAdder();
    final LongAdder filtered = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
}
