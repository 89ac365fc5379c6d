package io.amoskys.response.rest;

import io.amoskys.http.auth.AuthenticatedUser;
import io.amoskys.http.auth.HttpBasicGate;
import io.amoskys.http.auth.JsonReply;
import io.amoskys.http.auth.JsonRequest;
import io.amoskys.http.auth.Roles;
import io.amoskys.response.admin.ResponseAdmin;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.camel.util.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A part of the responses' REST API. Every user in a reading role ({@link Roles#READERS}) may GET;
 * deciding an action (approve, reject, undo) takes {@code operator} or {@code admin}, arming a
 * responder and resetting the circuit breaker {@code admin} (403 otherwise). Errors are JSON: 400
 * for a malformed request, 404 for an unknown path, action or responder, 405 for a method the path
 * does not take, 409 for a decision the action's state does not allow, 500 when the store failed.
 * The user recorded in a receipt is always the one who logged in.
 */
abstract class ResponseResource extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ResponseResource.class);

    private final transient HttpBasicGate gate;
    final transient ResponseAdmin admin;

    ResponseResource(ResponseAdmin admin, HttpBasicGate gate) {
        this.admin = admin;
        this.gate = gate;
    }

    /** What the API answers. */
    record Reply(int status, Object json) {
        static Reply ok(Object json) {
            return new Reply(200, json);
        }
    }

    /** A request as a resource sees it: method, path below the servlet in segments, the user. */
    record Call(String method, List<String> path, HttpServletRequest request, AuthenticatedUser user) {
        String parameter(String name) {
            String v = request.getParameter(name);
            return v == null || v.isBlank() ? null : v.strip();
        }

        String uri() {
            return request.getRequestURI();
        }

        String userName() {
            return user.name();
        }
    }

    /** The path exists but does not take the method. */
    static final class NotAllowed extends Exception {
        private static final long serialVersionUID = 1L;
        final String allow;

        NotAllowed(String allow) {
            super(null, null, false, false);
            this.allow = allow;
        }
    }

    /** A reading user who lacks the role a change needs. */
    static final class Forbidden extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Forbidden(String message) {
            super(message, null, false, false);
        }
    }

    abstract Reply handle(Call call) throws IOException, NotAllowed;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<AuthenticatedUser> user = gate.admit(request, response, Roles.READERS);
        if (user.isEmpty()) {
            return;
        }
        String method = request.getMethod();
        try {
            Reply reply = handle(new Call(method, segments(request.getPathInfo()), request, user.get()));
            JsonReply.send(response, reply.status(), reply.json());
        } catch (NotAllowed e) {
            response.setHeader("Allow", e.allow);
            JsonReply.error(response, 405, method + " " + request.getRequestURI() + " is not allowed here (" + e.allow + " is)");
        } catch (NoSuchElementException e) {
            JsonReply.error(response, 404, e.getMessage());
        } catch (Forbidden e) {
            JsonReply.error(response, 403, e.getMessage());
        } catch (IllegalStateException e) {
            JsonReply.error(response, 409, e.getMessage());
        } catch (IllegalArgumentException e) {
            JsonReply.error(response, 400, e.getMessage());
        } catch (RuntimeException e) {
            String incident = Long.toHexString(System.nanoTime());
            LOG.error("{} {} failed (incident {})", method, request.getRequestURI(), incident, e);
            JsonReply.error(response, 500, "the platform could not answer " + request.getRequestURI()
                    + "; the log has the cause under incident " + incident);
        }
    }

    /** Refuses the call unless its user holds one of the roles. */
    static void require(Call call, Set<String> roles) {
        if (!call.user().hasAnyRole(roles)) {
            throw new Forbidden(call.method() + " " + call.uri() + " needs a user in " + (roles.size() == 1 ? "role " : "one of the roles ")
                    + String.join(", ", new TreeSet<>(roles)) + "; " + call.userName() + " is not");
        }
    }

    static void only(Call call, String method) throws NotAllowed {
        if (!call.method().equals(method)) {
            throw new NotAllowed(method);
        }
    }

    static List<String> segments(String pathInfo) {
        return pathInfo == null ? List.of() : Arrays.stream(pathInfo.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    /** The change's JSON object (see {@link JsonRequest}). */
    static JsonObject body(Call call) throws IOException {
        return JsonRequest.object(call.request());
    }
}
