package io.amoskys.web.internal;

import io.amoskys.http.auth.AuthenticatedUser;
import io.amoskys.http.auth.HttpBasicGate;
import io.amoskys.http.auth.JsonReply;
import io.amoskys.http.auth.Roles;
import io.amoskys.model.runtime.admin.ModelAdmin;
import io.amoskys.model.runtime.admin.ModelStatus;
import io.amoskys.model.runtime.admin.ScoreDistribution;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /amoskys/api/v1/models}: every model version the runtime knows, as {@code
 * amoskys:models} lists them (state, why, threshold, rows scored, errors, mean call time), each
 * loaded one with its score distribution. {@code POST .../models/NAME/promote} ({@code {"version"}},
 * none for the newest shadow) and {@code POST .../models/NAME/rollback}, as {@code amoskys:models}
 * does them: operator and admin only. Present only while the model runtime is.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/amoskys/api/v1/models", "/amoskys/api/v1/models/*"})
@HttpWhiteboardServletName("amoskys-api-v1-models")
public class ModelsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ModelsServlet.class);
    private static final List<String> ACTIONS = List.of("promote", "rollback");

    private final transient HttpBasicGate gate;
    private final transient ModelAdmin models;

    @Activate
    public ModelsServlet(@Reference HttpBasicGate gate, @Reference ModelAdmin models) {
        this.gate = gate;
        this.models = models;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<String> path = request.getPathInfo() == null ? List.of()
                : Arrays.stream(request.getPathInfo().split("/")).filter(s -> !s.isEmpty()).toList();
        boolean change = path.size() == 2 && ACTIONS.contains(path.get(1));
        String method = request.getMethod();
        // Only a change asks for more than a reader: the 401 or 403 comes before any 404 or 405.
        Optional<AuthenticatedUser> user = gate.admit(request, response, change && method.equals("POST") ? Roles.OPERATORS : Roles.READERS);
        if (user.isEmpty()) {
            return;
        }
        try {
            if (!path.isEmpty() && !change) {
                JsonReply.error(response, 404, "no such resource: " + request.getRequestURI()
                        + " (a model takes POST .../models/NAME/promote and .../models/NAME/rollback)");
            } else if (!method.equals(change ? "POST" : "GET")) {
                String allow = change ? "POST" : "GET";
                response.setHeader("Allow", allow);
                JsonReply.error(response, 405, method + " " + request.getRequestURI() + " is not allowed here (" + allow + " is)");
            } else if (change) {
                change(request, response, path.get(0), path.get(1), user.get());
            } else {
                JsonReply.send(response, 200, new JsonObject(Map.of("models", list())));
            }
        } catch (RuntimeException e) { // the runtime failing: an incident, not Jetty's error page
            JsonReply.failed(request, response, e);
        }
    }

    private void change(HttpServletRequest request, HttpServletResponse response, String name, String action, AuthenticatedUser user)
            throws IOException {
        String message;
        try {
            String version = JsonBody.text(JsonBody.read(request), "version");
            message = action.equals("promote") ? models.promote(name, version) : models.rollback(name);
        } catch (IllegalArgumentException e) { // an unknown model or version, nothing to roll back to, a bad body
            JsonReply.error(response, 400, e.getMessage());
            return;
        }
        LOG.info("{} over REST: {}", user.name(), message);
        JsonObject o = new JsonObject();
        o.put("message", message);
        o.put("models", list());
        JsonReply.send(response, 200, o);
    }

    private JsonArray list() {
        Map<String, ScoreDistribution> distributions = new HashMap<>();
        models.scoreDistributions().forEach(d -> distributions.put(d.name() + "@" + d.version(), d));
        JsonArray list = new JsonArray();
        for (ModelStatus m : models.models()) {
            JsonObject o = new JsonObject();
            o.put("name", m.name());
            o.put("version", m.version());
            o.put("state", m.state());
            o.put("reason", m.reason());
            o.put("detail", m.detail());
            o.put("threshold", Double.isFinite(m.threshold()) ? m.threshold() : null);
            o.put("rows", m.rows());
            o.put("errors", m.errors());
            o.put("meanCallMicros", Double.isFinite(m.meanCallMicros()) ? m.meanCallMicros() : null);
            o.put("bundleId", m.bundleId());
            // A refused duplicate shares its name and version with the loaded one, not its scores.
            ScoreDistribution d = m.state().equals("refused") ? null : distributions.get(m.name() + "@" + m.version());
            o.put("scores", d == null ? null : new JsonObject(Map.of("upperBounds", d.upperBounds(), "counts", d.counts())));
            list.add(o);
        }
        return list;
    }
}
