package io.amoskys.core.context;

import io.amoskys.api.admin.StepDTO;
import io.amoskys.core.component.PluginEndpoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.model.EndpointRequiredDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.util.URISupport;

/** A route's steps as its definition declares them, with their {@link StepCounters}: the route graph. */
final class RouteSteps {
    private RouteSteps() {}

    static List<StepDTO> of(CamelContext camel, String routeId, StepCounters counters) {
        RouteDefinition route = definition(camel, routeId);
        return route == null ? List.of() : steps(routeId, route.getOutputs(), "", counters);
    }

    /** The places ({@link StepCounters#path}) of the route's steps now. */
    static Set<String> paths(CamelContext camel, String routeId) {
        Set<String> paths = new HashSet<>();
        RouteDefinition route = definition(camel, routeId);
        if (route != null) {
            collect(steps(routeId, route.getOutputs(), "", null), paths);
        }
        return paths;
    }

    private static void collect(List<StepDTO> steps, Set<String> paths) {
        for (StepDTO step : steps) {
            paths.add(step.path);
            collect(step.steps, paths);
        }
    }

    private static RouteDefinition definition(CamelContext camel, String routeId) {
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        return model == null ? null : model.getRouteDefinition(routeId);
    }

    private static List<StepDTO> steps(String routeId, List<ProcessorDefinition<?>> outputs, String parent, StepCounters counters) {
        List<StepDTO> steps = new ArrayList<>(outputs.size());
        for (int i = 0; i < outputs.size(); i++) {
            ProcessorDefinition<?> definition = outputs.get(i);
            if (definition.isAbstract()) {
                continue; // onException, intercept and the like: not steps of the flow
            }
            StepDTO step = new StepDTO();
            step.path = parent.isEmpty() ? Integer.toString(i) : parent + "." + i;
            step.id = definition.getId();
            step.kind = definition.getShortName();
            step.label = definition instanceof EndpointRequiredDefinition endpoint && endpoint.getEndpointUri() != null
                    ? PluginEndpoint.displayUri(URISupport.sanitizeUri(endpoint.getEndpointUri()))
                    : step.kind;
            StepCounters.Counts counts = counters == null ? null : counters.counts(routeId, step.path);
            if (counts != null) {
                step.exchanges = counts.exchanges.sum();
                step.completed = counts.completed.sum();
                step.failed = counts.failed.sum();
                long done = step.completed + step.failed;
                step.meanMicros = done == 0 ? 0 : counts.nanos.sum() / 1e3 / done;
            }
            step.steps = steps(routeId, definition.getOutputs(), step.path, counters);
            steps.add(step);
        }
        return steps;
    }
}
