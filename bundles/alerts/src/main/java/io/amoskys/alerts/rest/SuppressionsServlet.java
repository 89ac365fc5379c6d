package io.amoskys.alerts.rest;

import io.amoskys.alerts.internal.Durations;
import io.amoskys.api.alert.AlertStore;
import io.amoskys.http.auth.HttpBasicGate;
import io.amoskys.api.alert.SuppressionDTO;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import javax.servlet.Servlet;
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
 * {@code /amoskys/api/v1/suppressions}: {@code GET} lists those in force ({@code ?all=true}: also
 * expired and removed ones), {@code GET /ID} shows one, {@code POST} adds one
 * ({@code {"rule","entity","reason","expires"}}), {@code DELETE /ID} removes one (operator, admin).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/amoskys/api/v1/suppressions/*")
@HttpWhiteboardServletName("amoskys-api-v1-suppressions")
public class SuppressionsServlet extends RestResource {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SuppressionsServlet.class);

    private final transient AlertStore alerts;

    @Activate
    public SuppressionsServlet(@Reference AlertStore alerts, @Reference HttpBasicGate gate) {
        super(gate);
        this.alerts = alerts;
    }

    @Override
    protected Reply handle(Call call) throws IOException, NotAllowed {
        List<String> path = call.path();
        if (path.size() > 1) {
            throw new NotFound("no such resource: " + call.uri() + " (the API has /amoskys/api/v1/suppressions[/ID])");
        }
        if (path.isEmpty()) {
            switch (call.method()) {
                case "GET" -> {
                    boolean all = "true".equalsIgnoreCase(call.parameter("all"));
                    return Reply.ok(Map.of("suppressions",
                            new JsonArray(alerts.suppressions(all).stream().map(AlertJson::suppression).toList())));
                }
                case "POST" -> {
                    mayChange(call);
                    JsonObject body = body(call);
                    SuppressionDTO s = new SuppressionDTO();
                    s.rule = text(body, "rule");
                    s.entity = text(body, "entity");
                    s.reason = text(body, "reason");
                    s.createdBy = call.user().name();
                    String expires = text(body, "expires");
                    long forMillis = expires == null ? 0 : Durations.parse(expires).toMillis();
                    s.expiresMillis = forMillis == 0 ? 0 : System.currentTimeMillis() + forMillis;
                    SuppressionDTO made = alerts.suppress(s);
                    LOG.info("{} added suppression {} (rule {}, entity {}) over REST", s.createdBy, made.id, made.rule, made.entity);
                    return new Reply(201, AlertJson.suppression(made));
                }
                default -> throw new NotAllowed("GET, POST");
            }
        }
        String id = path.get(0);
        switch (call.method()) {
            case "GET" -> {
                return Reply.ok(AlertJson.suppression(alerts.suppression(id).orElseThrow(() -> new NoSuchElementException(
                        "no suppression " + id + " (GET /amoskys/api/v1/suppressions?all=true lists them)"))));
            }
            case "DELETE" -> {
                mayChange(call);
                SuppressionDTO removed = alerts.unsuppress(id, call.user().name());
                LOG.info("{} removed suppression {} over REST", call.user().name(), id);
                return Reply.ok(AlertJson.suppression(removed));
            }
            default -> throw new NotAllowed("GET, DELETE");
        }
    }
}
