package io.amoskys.response.rest;

import io.amoskys.http.auth.HttpBasicGate;
import io.amoskys.http.auth.Roles;
import io.amoskys.response.admin.ActionDTO;
import io.amoskys.response.admin.ActionState;
import io.amoskys.response.admin.ResponseAdmin;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import javax.servlet.Servlet;
import org.apache.camel.util.json.JsonObject;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /amoskys/api/v1/actions}: {@code GET} lists the responders' actions, newest first
 * ({@code state}: comma-separated states, {@code limit}), {@code GET /verify} checks the receipt
 * chain and its signatures, {@code GET /ID} shows one action (its id or a unique prefix of it) with
 * its receipts, {@code POST /ID/approve|reject|undo} decides it (operator, admin) as
 * {@code amoskys:actions approve|reject|undo} does, receipted with the user who logged in.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/amoskys/api/v1/actions/*")
@HttpWhiteboardServletName("amoskys-api-v1-actions")
public class ActionsServlet extends ResponseResource {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ActionsServlet.class);
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;
    private static final List<String> DECISIONS = List.of("approve", "reject", "undo");

    @Activate
    public ActionsServlet(@Reference ResponseAdmin admin, @Reference HttpBasicGate gate) {
        super(admin, gate);
    }

    @Override
    protected Reply handle(Call call) throws IOException, NotAllowed {
        List<String> path = call.path();
        if (path.isEmpty()) {
            only(call, "GET");
            List<ActionState> states = states(call.parameter("state"));
            int limit = limit(call.parameter("limit"));
            JsonObject o = new JsonObject();
            o.put("states", states.stream().map(ActionState::label).toList());
            o.put("limit", limit);
            o.put("actions", ResponseJson.actions(admin.actions(states, limit)));
            return Reply.ok(o);
        }
        if (path.size() == 1 && path.get(0).equals("verify")) {
            only(call, "GET");
            return Reply.ok(ResponseJson.verification(admin.verify()));
        }
        String id = path.get(0);
        if (path.size() == 1) {
            only(call, "GET");
            ActionDTO a = admin.action(id).orElseThrow(() -> unknown(id));
            return Reply.ok(ResponseJson.action(a, admin.receipts(a.id)));
        }
        String decision = path.size() == 2 ? path.get(1).toLowerCase(Locale.ROOT) : null;
        if (decision == null || !DECISIONS.contains(decision)) {
            throw new NoSuchElementException("no such resource: " + call.uri() + " (an action takes GET /amoskys/api/v1/actions/ID "
                    + "and POST .../ID/approve, .../ID/reject and .../ID/undo)");
        }
        only(call, "POST");
        require(call, Roles.OPERATORS);
        body(call);
        String user = call.userName();
        ActionDTO decided = switch (decision) {
            case "approve" -> admin.approve(id, user);
            case "reject" -> admin.reject(id, user);
            default -> admin.undo(id, user);
        };
        LOG.info("{} asked to {} action {} of {} ({} {}) over REST: now {}", user, decision, decided.id, decided.responder,
                decided.verb, decided.target, decided.state.label());
        return Reply.ok(ResponseJson.action(decided, admin.receipts(decided.id)));
    }

    static List<ActionState> states(String parameter) {
        List<ActionState> states = new ArrayList<>();
        if (parameter == null) {
            return states;
        }
        for (String s : parameter.split(",")) {
            String label = s.strip();
            if (label.isEmpty()) {
                continue;
            }
            try {
                states.add(ActionState.of(label));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown state '" + label + "': one of "
                        + Arrays.stream(ActionState.values()).map(ActionState::label).collect(Collectors.joining(", ")));
            }
        }
        return states;
    }

    static int limit(String parameter) {
        if (parameter == null) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(parameter);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit must be a number, was '" + parameter + "'");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        return limit;
    }

    private static NoSuchElementException unknown(String id) {
        return new NoSuchElementException("no action " + id + " (GET /amoskys/api/v1/actions lists them)");
    }
}
