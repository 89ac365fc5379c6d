package io.amoskys.core.routes;

import io.amoskys.api.admin.RouteFileDTO;
import io.amoskys.api.PluginKind;
import io.amoskys.core.component.AmoskysComponent;
import io.amoskys.core.component.PluginEndpoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.Endpoint;
import org.apache.camel.NoSuchEndpointException;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.Route;
import org.apache.camel.dsl.yaml.YamlRoutesBuilderLoader;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RoutesDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies YAML route files to the platform context, one file at a time, all or nothing: a file
 * that does not parse, names an unknown endpoint, or reuses another file's route id is rejected
 * with a message naming file and line, and the routes it ran before keep running.
 */
final class RouteFileLoader {
    private static final Logger LOG = LoggerFactory.getLogger(RouteFileLoader.class);
    private static final long STOP_TIMEOUT_SECONDS = 10;

    private final CamelContext camel;
    private final ModelCamelContext model;
    private final YamlRoutesBuilderLoader yaml;
    /** Routes each file runs now (its last good content), by file name. */
    private final Map<String, List<RouteDefinition>> running = new LinkedHashMap<>();
    private final Map<String, RouteFileDTO> outcomes = new LinkedHashMap<>();

    RouteFileLoader(CamelContext camel) {
        this.camel = camel;
        this.model = (ModelCamelContext) camel;
        this.yaml = new YamlRoutesBuilderLoader();
        yaml.setCamelContext(camel);
        yaml.start();
    }

    /** Stops the routes of every file and the YAML loader: the folder is no longer watched. */
    synchronized void close() {
        for (String fileName : List.copyOf(running.keySet())) {
            unload(fileName);
        }
        yaml.stop();
    }

    synchronized List<RouteFileDTO> outcomes() {
        return List.copyOf(outcomes.values());
    }

    synchronized boolean rejected(String fileName) {
        RouteFileDTO outcome = outcomes.get(fileName);
        return outcome != null && "REJECTED".equals(outcome.state);
    }

    synchronized Set<String> knownFiles() {
        return new HashSet<>(outcomes.keySet());
    }

    /** Loads a new or changed file in place of what it ran before. */
    synchronized RouteFileDTO load(String fileName, String content) {
        List<RouteDefinition> previous = running.getOrDefault(fileName, List.of());
        List<RouteDefinition> next;
        try {
            next = parse(fileName, content);
            checkIdsAreFree(fileName, next);
            checkEndpoints(next);
        } catch (Exception e) {
            return reject(fileName, RouteFileError.describe(fileName, content, e), previous);
        }
        try {
            remove(fileName, previous, "route file " + fileName + " changed");
            model.addRouteDefinitions(next);
        } catch (Exception e) {
            String message = RouteFileError.describe(fileName, content, e);
            undo(next);
            if (!restore(fileName, previous)) {
                return reject(fileName, message + "; its previous routes could not be restarted (see the log)", List.of());
            }
            return reject(fileName, message, previous);
        }
        running.put(fileName, next);
        RouteFileDTO outcome = outcome(fileName, "LOADED", next, null);
        LOG.info("Route file {} loaded: routes {}", fileName, outcome.routeIds);
        return outcome;
    }

    /** Removes the routes of a file that is gone. */
    synchronized void unload(String fileName) {
        List<RouteDefinition> previous = running.remove(fileName);
        outcomes.remove(fileName);
        if (previous == null) {
            return;
        }
        try {
            remove(fileName, previous, "route file " + fileName + " removed");
            LOG.info("Route file {} removed: routes {} stopped", fileName, ids(previous));
        } catch (Exception e) {
            LOG.error("Route file {} removed but its routes {} could not all be stopped", fileName, ids(previous), e);
        }
    }

    private List<RouteDefinition> parse(String fileName, String content) throws Exception {
        Resource resource = ResourceHelper.fromString("file:" + fileName, content);
        RoutesDefinition routes = ((org.apache.camel.builder.RouteBuilder) yaml.loadRoutesBuilder(resource))
                .configureRoutes(camel);
        List<RouteDefinition> definitions = new ArrayList<>(routes.getRoutes());
        if (definitions.isEmpty() && !content.isBlank()) {
            throw new IllegalArgumentException("no route in the file (expected a list of '- route:' entries)");
        }
        String base = fileName.replaceFirst("\\.ya?ml$", "");
        for (int i = 0; i < definitions.size(); i++) {
            RouteDefinition definition = definitions.get(i);
            if (definition.getRouteId() == null) {
                // Stable ids, so that a reload replaces the same routes and counters carry on.
                definition.setId(base + "-" + (i + 1));
            }
        }
        return definitions;
    }

    private void checkIdsAreFree(String fileName, List<RouteDefinition> next) {
        Set<String> seen = new HashSet<>();
        for (RouteDefinition definition : next) {
            String id = definition.getRouteId();
            if (!seen.add(id)) {
                throw new IllegalArgumentException("route id '" + id + "' is used twice in the file");
            }
            for (Map.Entry<String, List<RouteDefinition>> other : running.entrySet()) {
                if (!other.getKey().equals(fileName) && ids(other.getValue()).contains(id)) {
                    throw new IllegalArgumentException("route id '" + id + "' is already run by " + other.getKey());
                }
            }
            boolean ownedByThisFile = ids(running.getOrDefault(fileName, List.of())).contains(id);
            if (!ownedByThisFile && camel.getRoute(id) != null) {
                throw new IllegalArgumentException("route id '" + id + "' is already used by a route of the platform");
            }
        }
    }

    /** Stops routes without waiting for plugins that may never come: their waiting messages are dead-lettered. */
    private void remove(String fileName, List<RouteDefinition> routes, String reason) throws Exception {
        if (routes.isEmpty()) {
            return;
        }
        List<String> ids = ids(routes);
        // Consumers first, so that no new message can be held between the release and the stop.
        for (String id : ids) {
            Route route = camel.getRoute(id);
            if (route != null) {
                ServiceHelper.stopService(route.getConsumer());
            }
        }
        if (camel.hasComponent(AmoskysComponent.SCHEME) instanceof AmoskysComponent component) {
            component.releaseHeld(ids, reason + " while the message waited for its plugin");
        }
        for (String id : ids) {
            if (camel.getRoute(id) != null) {
                camel.getRouteController().stopRoute(id, STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        }
        model.removeRouteDefinitions(routes);
    }

    private void undo(List<RouteDefinition> partlyAdded) {
        try {
            List<RouteDefinition> added = partlyAdded.stream().filter(d -> camel.getRoute(d.getRouteId()) != null).toList();
            for (RouteDefinition d : added) {
                camel.getRouteController().stopRoute(d.getRouteId(), STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            model.removeRouteDefinitions(partlyAdded);
        } catch (Exception e) {
            LOG.error("Could not take back the routes of a rejected file: {}", ids(partlyAdded), e);
        }
    }

    private boolean restore(String fileName, List<RouteDefinition> previous) {
        if (previous.isEmpty()) {
            return true;
        }
        try {
            model.addRouteDefinitions(previous);
            return true;
        } catch (Exception e) {
            running.remove(fileName);
            LOG.error("Could not restart the previous routes {} of {}", ids(previous), fileName, e);
            return false;
        }
    }

    /**
     * Makes (without starting or registering) every endpoint the routes name, so that an unknown
     * component or a bad option rejects the file before any running route is touched.
     */
    private void checkEndpoints(List<RouteDefinition> routes) throws Exception {
        for (RouteDefinition route : routes) {
            List<String> uris = new ArrayList<>();
            uris.add(route.getInput().getEndpointUri());
            for (SendDefinition<?> send : ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(), SendDefinition.class)) {
                uris.add(send.getEndpointUri());
            }
            for (int i = 0; i < uris.size(); i++) {
                String written = uris.get(i);
                if (written == null) {
                    continue; // an endpoint given by reference, resolved when the route starts
                }
                String uri = camel.resolvePropertyPlaceholders(written);
                int colon = uri.indexOf(':');
                Component component = colon > 0 ? camel.getComponent(uri.substring(0, colon)) : null;
                if (component == null) {
                    throw new NoSuchEndpointException(uri, "no component is installed for '"
                            + (colon > 0 ? uri.substring(0, colon) : uri) + "'");
                }
                try {
                    Endpoint endpoint = component.createEndpoint(uri);
                    if (endpoint == null) {
                        throw new NoSuchEndpointException(uri);
                    }
                    if (i == 0 && endpoint instanceof PluginEndpoint plugin && plugin.getKind() != PluginKind.AGENT) {
                        throw new IllegalArgumentException("only an agent can start a route, not a " + plugin.getKind().uriName());
                    }
                } catch (ResolveEndpointFailedException | NoSuchEndpointException e) {
                    throw e;
                } catch (Exception e) {
                    throw new ResolveEndpointFailedException(uri, e);
                }
            }
        }
    }

    private RouteFileDTO reject(String fileName, String message, List<RouteDefinition> stillRunning) {
        LOG.error("Route file rejected: {}. The routes that were running keep running.", message);
        return outcome(fileName, "REJECTED", stillRunning, message);
    }

    private RouteFileDTO outcome(String fileName, String state, List<RouteDefinition> routes, String error) {
        RouteFileDTO dto = new RouteFileDTO();
        dto.file = fileName;
        dto.state = state;
        dto.routeIds = ids(routes);
        dto.error = error;
        dto.loadedAt = System.currentTimeMillis();
        outcomes.put(fileName, dto);
        return dto;
    }

    private static List<String> ids(List<RouteDefinition> routes) {
        return routes.stream().map(RouteDefinition::getRouteId).toList();
    }
}
