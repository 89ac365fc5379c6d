package io.amoskys.web.internal;

import io.amoskys.api.admin.EndpointDTO;
import io.amoskys.api.admin.PlatformStatus;
import io.amoskys.api.admin.PluginDTO;
import io.amoskys.http.auth.HttpBasicGate;
import io.amoskys.http.auth.JsonReply;
import io.amoskys.http.auth.Roles;
import java.io.IOException;
import java.util.Comparator;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /amoskys/api/v1/plugins}: every plugin service the platform sees, by kind and name,
 * with its bundle and whether it is active, and every {@code amoskys:} endpoint of the routes with
 * its counters (as {@code amoskys:plugins} and {@code amoskys:status} show them).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/amoskys/api/v1/plugins")
@HttpWhiteboardServletName("amoskys-api-v1-plugins")
public class PluginsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient HttpBasicGate gate;
    private final transient PlatformStatus platform;

    @Activate
    public PluginsServlet(@Reference HttpBasicGate gate, @Reference PlatformStatus platform) {
        this.gate = gate;
        this.platform = platform;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (gate.admit(request, response, Roles.READERS).isEmpty()) {
            return;
        }
        try {
            JsonReply.send(response, 200, plugins());
        } catch (RuntimeException e) {
            JsonReply.failed(request, response, e);
        }
    }

    private JsonObject plugins() {
        JsonArray plugins = new JsonArray();
        platform.plugins().stream().sorted(Comparator.comparing((PluginDTO p) -> p.kind).thenComparing(p -> p.name)).forEach(p -> {
            JsonObject o = new JsonObject();
            o.put("kind", p.kind);
            o.put("name", p.name);
            o.put("bundle", p.bundle);
            o.put("bundleId", p.bundleId);
            o.put("active", p.active);
            plugins.add(o);
        });
        JsonArray endpoints = new JsonArray();
        for (EndpointDTO e : platform.endpoints()) {
            JsonObject o = new JsonObject();
            o.put("uri", e.uri);
            o.put("kind", e.kind);
            o.put("name", e.name);
            o.put("available", e.available);
            o.put("delivered", e.delivered);
            o.put("filtered", e.filtered);
            o.put("failed", e.failed);
            o.put("held", e.held);
            o.put("deadLettered", e.deadLettered);
            endpoints.add(o);
        }
        JsonObject o = new JsonObject();
        o.put("plugins", plugins);
        o.put("endpoints", endpoints);
        return o;
    }
}
