package io.amoskys.metrics;

import io.amoskys.api.admin.EndpointDTO;
import io.amoskys.api.admin.MetricsSource;
import io.amoskys.api.admin.PlatformStatus;
import io.amoskys.api.admin.PluginDTO;
import io.amoskys.api.admin.RouteDTO;
import io.amoskys.api.admin.RouteFileDTO;
import io.amoskys.api.admin.RouteFiles;
import io.amoskys.http.auth.HttpBasicGate;
import io.amoskys.http.auth.Roles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.TreeMap;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /metrics}: the platform's counters for Prometheus. Every plugin endpoint's
 * delivered, filtered, failed and dead-lettered messages and what it holds now, every route's
 * exchanges, and the route files by state, under names that start with {@code amoskys_}; the
 * JVM and the process under Prometheus' usual {@code jvm_*} and {@code process_*} names. Open to
 * this machine (loopback); from another host, once the web port listens there, only for a Karaf
 * user in role viewer, operator or admin (HTTP Basic, as Prometheus' {@code basic_auth} sends it):
 * the names of agents, devices, models and subscriptions are not for everyone on the network.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/metrics")
@HttpWhiteboardServletName("amoskys-metrics")
public class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final transient PlatformStatus status;
    private final transient RouteFiles routeFiles;
    private final transient HttpBasicGate gate;
    /** Other bundles' own metrics (the bus, the gRPC ingest), appended after the platform's. */
    private final transient List<MetricsSource> sources = new CopyOnWriteArrayList<>();

    @Activate
    public MetricsServlet(@Reference PlatformStatus status, @Reference RouteFiles routeFiles, @Reference HttpBasicGate gate) {
        this.status = status;
        this.routeFiles = routeFiles;
        this.gate = gate;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSource(MetricsSource source) {
        sources.add(source);
    }

    void removeSource(MetricsSource source) {
        sources.remove(source);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!gate.clients().fromLoopback(request) && gate.admit(request, response, Roles.READERS).isEmpty()) {
            return; // 401, 403 or 429 sent
        }
        StringBuilder text = new StringBuilder(render(status, routeFiles));
        for (MetricsSource source : sources) {
            try {
                source.writePrometheus(text);
            } catch (RuntimeException e) {
                // One broken source must not take the platform's own metrics down with it.
                log("metrics source " + source.getClass().getName() + " failed", e);
            }
        }
        byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        response.setContentType(CONTENT_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    static String render(PlatformStatus status, RouteFiles routeFiles) {
        PrometheusText text = new PrometheusText()
                .gauge("amoskys_plugins", "Plugin services registered, by kind")
                .gauge("amoskys_endpoint_available", "1 when a plugin serves the endpoint now, 0 while it is missing")
                .counter("amoskys_endpoint_delivered_total", "Messages handed to the endpoint's plugin (for agents: events delivered to routes)")
                .counter("amoskys_endpoint_filtered_total", "Messages the plugin answered with nothing to pass on")
                .counter("amoskys_endpoint_failed_total", "Messages the plugin failed on")
                .gauge("amoskys_endpoint_held", "Messages waiting now for a missing plugin")
                .gauge("amoskys_endpoint_hold_capacity", "Most messages that may wait for a missing plugin")
                .counter("amoskys_endpoint_dead_lettered_total", "Messages that could not wait and went to the dead-letter file")
                .counter("amoskys_dead_letters_total", "Messages dead-lettered since start, by every endpoint")
                .counter("amoskys_route_exchanges_total", "Exchanges a route finished")
                .counter("amoskys_route_exchanges_failed_total", "Exchanges a route finished with a failure")
                .gauge("amoskys_route_exchanges_inflight", "Exchanges in a route now (including held ones)")
                .gauge("amoskys_route_files", "Route files by the outcome of their last load");

        Map<String, Integer> byKind = new TreeMap<>(Map.of("agent", 0, "stage", 0, "detector", 0, "rule", 0, "responder", 0));
        for (PluginDTO plugin : status.plugins()) {
            byKind.merge(plugin.kind, 1, Integer::sum);
        }
        byKind.forEach((kind, count) -> text.sample("amoskys_plugins", count, "kind", kind));

        for (EndpointDTO e : status.endpoints()) {
            String[] labels = {"endpoint", e.uri, "kind", e.kind, "plugin", e.name};
            text.sample("amoskys_endpoint_available", e.available ? 1 : 0, labels);
            text.sample("amoskys_endpoint_delivered_total", e.delivered, labels);
            text.sample("amoskys_endpoint_filtered_total", e.filtered, labels);
            text.sample("amoskys_endpoint_failed_total", e.failed, labels);
            text.sample("amoskys_endpoint_held", e.held, labels);
            text.sample("amoskys_endpoint_hold_capacity", e.holdCapacity, labels);
            text.sample("amoskys_endpoint_dead_lettered_total", e.deadLettered, labels);
        }
        text.sample("amoskys_dead_letters_total", status.deadLettered());
        for (RouteDTO r : status.routes()) {
            text.sample("amoskys_route_exchanges_total", r.exchangesTotal, "route", r.id);
            text.sample("amoskys_route_exchanges_failed_total", r.exchangesFailed, "route", r.id);
            text.sample("amoskys_route_exchanges_inflight", r.exchangesInflight, "route", r.id);
        }
        Map<String, Integer> files = new TreeMap<>(Map.of("LOADED", 0, "REJECTED", 0));
        for (RouteFileDTO f : routeFiles.files()) {
            files.merge(f.state, 1, Integer::sum);
        }
        files.forEach((state, count) -> text.sample("amoskys_route_files", count, "state", state));
        JvmMetrics.write(text);
        return text.render();
    }
}
