package io.amoskys.alerts.rest;

import io.amoskys.alerts.internal.Durations;
import io.amoskys.alerts.internal.EvidenceEvents;
import io.amoskys.api.alert.AlertDTO;
import io.amoskys.api.alert.AlertQuery;
import io.amoskys.api.alert.AlertState;
import io.amoskys.api.alert.AlertStore;
import io.amoskys.http.auth.HttpBasicGate;
import io.amoskys.api.alert.AlertTransition;
import io.amoskys.api.bus.EventLog;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.servlet.Servlet;
import org.apache.camel.util.json.JsonObject;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /amoskys/api/v1/alerts}: {@code GET} lists with filters ({@code state}, {@code severity},
 * {@code rule}, {@code entity}, {@code tag}, {@code since}, {@code limit}, {@code offset}),
 * {@code GET /count} counts, {@code GET /ID} shows one with evidence and history,
 * {@code GET /ID/events} its evidence events as the bus's log stores them,
 * {@code POST /ID/ack|resolve|false-positive} moves it along its lifecycle (operator, admin).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/amoskys/api/v1/alerts/*")
@HttpWhiteboardServletName("amoskys-api-v1-alerts")
public class AlertsServlet extends RestResource {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(AlertsServlet.class);
    private static final Map<String, AlertState> ACTIONS = Map.of(
            "ack", AlertState.ACKNOWLEDGED, "acknowledge", AlertState.ACKNOWLEDGED, "resolve", AlertState.RESOLVED,
            "false-positive", AlertState.FALSE_POSITIVE, "fp", AlertState.FALSE_POSITIVE);

    private final transient AlertStore alerts;
    /** Optional: without the bus the alerts still answer, and their evidence events say why they are missing. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile transient EventLog log;

    @Activate
    public AlertsServlet(@Reference AlertStore alerts, @Reference HttpBasicGate gate) {
        super(gate);
        this.alerts = alerts;
    }

    @Override
    protected Reply handle(Call call) throws IOException, NotAllowed {
        List<String> path = call.path();
        if (path.isEmpty()) {
            get(call);
            AlertQuery q = query(call);
            long total = alerts.count(q);
            JsonObject o = new JsonObject();
            o.put("total", total);
            o.put("offset", q.offset);
            o.put("limit", q.limit);
            o.put("alerts", AlertJson.alerts(alerts.list(q)));
            return Reply.ok(o);
        }
        if (path.size() == 1 && path.get(0).equals("count")) {
            get(call);
            return Reply.ok(Map.of("count", alerts.count(query(call))));
        }
        String id = path.get(0);
        if (path.size() == 1) {
            get(call);
            return Reply.ok(AlertJson.alert(alerts.get(id).orElseThrow(() -> unknown(id))));
        }
        if (path.size() == 2 && path.get(1).equals("events")) {
            get(call);
            AlertDTO alert = alerts.get(id).orElseThrow(() -> unknown(id));
            JsonObject o = new JsonObject();
            o.put("alert", alert.id);
            o.put("eventIdsDropped", alert.eventIdsDropped);
            o.put("events", EventJson.events(EvidenceEvents.resolve(log, alert.eventIds)));
            return Reply.ok(o);
        }
        AlertState to = path.size() == 2 ? ACTIONS.get(path.get(1).toLowerCase(Locale.ROOT)) : null;
        if (to == null) {
            throw new NotFound("no such resource: " + call.uri() + " (an alert takes GET .../events and POST .../ack, "
                    + ".../resolve and .../false-positive)");
        }
        if (!call.method().equals("POST")) {
            throw new NotAllowed("POST");
        }
        mayChange(call);
        JsonObject body = body(call);
        AlertTransition t = new AlertTransition();
        t.alertId = id;
        t.state = to.label();
        t.user = call.user().name();
        t.comment = text(body, "comment");
        t.suppress = flag(body, "suppress");
        String expires = text(body, "expires");
        if (expires != null && !t.suppress) {
            throw new IllegalArgumentException("\"expires\" goes with \"suppress\": true");
        }
        if (t.suppress && to != AlertState.FALSE_POSITIVE) {
            throw new IllegalArgumentException("only false-positive takes \"suppress\"");
        }
        t.suppressForMillis = expires == null ? 0 : Durations.parse(expires).toMillis();
        AlertDTO changed = alerts.transition(t);
        LOG.info("{} marked alert {} {} over REST{}", t.user, id, to.label(), t.suppress ? ", with a suppression" : "");
        return Reply.ok(AlertJson.alert(changed));
    }

    private static void get(Call call) throws NotAllowed {
        if (!call.method().equals("GET")) {
            throw new NotAllowed("GET");
        }
    }

    private static java.util.NoSuchElementException unknown(String id) {
        return new java.util.NoSuchElementException("no alert " + id + " (GET /amoskys/api/v1/alerts lists them)");
    }

    static AlertQuery query(Call call) {
        AlertQuery q = new AlertQuery();
        String state = call.parameter("state");
        if (state != null) {
            q.states = List.of(state);
        }
        q.minSeverity = call.parameter("severity");
        q.rule = call.parameter("rule");
        q.entity = call.parameter("entity");
        q.tag = call.parameter("tag");
        String since = call.parameter("since");
        if (since != null) {
            q.sinceMillis = Durations.since(since, System.currentTimeMillis());
        }
        q.limit = integer(call, "limit", 100);
        q.offset = integer(call, "offset", 0);
        return q;
    }

    private static int integer(Call call, String name, int otherwise) {
        String v = call.parameter(name);
        if (v == null) {
            return otherwise;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, was '" + v + "'");
        }
    }
}
