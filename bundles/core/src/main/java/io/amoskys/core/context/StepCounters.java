package io.amoskys.core.context;

import io.amoskys.core.component.EventBatch;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.processor.DelegateAsyncProcessor;

/**
 * Counts what passes every step of every route (exchanges in, completed, failed, time spent), for
 * the route graph: Camel hands each step it builds to {@link #wrapProcessorInInterceptors}. Counts
 * are kept by route id and the step's place in the route ({@link #path}), not by Camel's node ids,
 * which are new at every reload: they carry on when a route file is reloaded, as
 * {@link RouteCounters} do, and a reload that changes the route's shape drops the counts of the
 * places it no longer has, so memory follows the routes running.
 */
final class StepCounters extends EventNotifierSupport implements InterceptStrategy {
    /** One step's counters. */
    static final class Counts {
        final LongAdder exchanges = new LongAdder();
        final LongAdder completed = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder nanos = new LongAdder();
    }

    private final Map<String, Map<String, Counts>> byRoute = new ConcurrentHashMap<>();

    StepCounters() {
        setIgnoreCamelContextEvents(true);
        setIgnoreCamelContextInitEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target, Processor nextTarget) {
        if (!(definition instanceof ProcessorDefinition<?> step)) {
            return target;
        }
        RouteDefinition route = routeOf(step);
        String path = path(step);
        if (route == null || route.getRouteId() == null || path == null) {
            return target;
        }
        Counts counts = byRoute.computeIfAbsent(route.getRouteId(), id -> new ConcurrentHashMap<>())
                .computeIfAbsent(path, p -> new Counts());
        return new Counting(target, counts);
    }

    /** The step's counters; null before Camel built it. */
    Counts counts(String routeId, String path) {
        Map<String, Counts> steps = byRoute.get(routeId);
        return steps == null ? null : steps.get(path);
    }

    /** Keeps only these places of the route: after a reload, those of its new shape. */
    void retain(String routeId, Set<String> paths) {
        Map<String, Counts> steps = byRoute.get(routeId);
        if (steps != null) {
            steps.keySet().retainAll(paths);
        }
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.RouteAddedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        // Added means built: every step of the new shape holds its counters by now.
        org.apache.camel.Route route = ((CamelEvent.RouteAddedEvent) event).getRoute();
        retain(route.getRouteId(), RouteSteps.paths(route.getCamelContext(), route.getRouteId()));
    }

    /**
     * The step's place: its index among its parent's steps, from the route's top down, joined with
     * dots ({@code 5.2.0}: the third step of the sixth step's third branch); null outside a route.
     */
    static String path(ProcessorDefinition<?> step) {
        StringBuilder path = new StringBuilder();
        ProcessorDefinition<?> node = step;
        while (!(node instanceof RouteDefinition)) {
            ProcessorDefinition<?> parent = node.getParent();
            int index = parent == null ? -1 : indexOf(parent, node);
            if (index < 0) {
                return null;
            }
            path.insert(0, path.length() == 0 ? Integer.toString(index) : index + ".");
            node = parent;
        }
        return path.toString();
    }

    private static int indexOf(ProcessorDefinition<?> parent, ProcessorDefinition<?> child) {
        var outputs = parent.getOutputs();
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i) == child) {
                return i;
            }
        }
        return -1;
    }

    private static RouteDefinition routeOf(ProcessorDefinition<?> step) {
        ProcessorDefinition<?> node = step;
        while (node != null && !(node instanceof RouteDefinition)) {
            node = node.getParent();
        }
        return (RouteDefinition) node;
    }

    /** A step that counts what passes it, also when the step completes later (detector batches). */
    private static final class Counting extends DelegateAsyncProcessor {
        private final Counts counts;

        Counting(Processor target, Counts counts) {
            super(target);
            this.counts = counts;
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            // A batched route's exchange counts as the events it carries into the step.
            int messages = EventBatch.events(exchange.getMessage().getBody());
            counts.exchanges.add(messages);
            long start = System.nanoTime();
            return processor.process(exchange, doneSync -> {
                counts.nanos.add(System.nanoTime() - start);
                (exchange.getException() == null ? counts.completed : counts.failed).add(messages);
                callback.done(doneSync);
            });
        }
    }
}
