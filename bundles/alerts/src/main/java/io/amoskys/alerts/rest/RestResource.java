package io.amoskys.alerts.rest;

import io.amoskys.http.auth.AuthenticatedUser;
import io.amoskys.http.auth.HttpBasicGate;
import io.amoskys.http.auth.JsonReply;
import io.amoskys.http.auth.JsonRequest;
import io.amoskys.http.auth.Roles;
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
 * A part of the alerts REST API: users in a reading role ({@link Roles#READERS}) may GET, and only
 * {@code operator} and {@code admin} may change anything (POST, DELETE; 403 for a viewer). Errors
 * are JSON: 400 for a malformed request, 404 for an unknown path or id, 405 for a method the path
 * does not take, 409 for a change the alert's lifecycle does not allow, 500 when the store failed.
 */
abstract class RestResource extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** The roles that may change alerts and suppressions. */
    static final Set<String> CHANGERS = Set.of(Roles.OPERATOR, Roles.ADMIN);
    private static final Logger LOG = LoggerFactory.getLogger(RestResource.class);

    private final transient HttpBasicGate gate;

    RestResource(HttpBasicGate gate) {
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

    /** Nothing at the path. */
    static final class NotFound extends Exception {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(message, null, false, false);
        }
    }

    abstract Reply handle(Call call) throws IOException, NotAllowed, NotFound;

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
        } catch (NotFound | NoSuchElementException e) {
            JsonReply.error(response, 404, e.getMessage());
        } catch (Forbidden e) {
            JsonReply.error(response, 403, e.getMessage());
        } catch (IllegalStateException e) {
            JsonReply.error(response, 409, e.getMessage());
        } catch (IllegalArgumentException e) {
            JsonReply.error(response, 400, e.getMessage());
        } catch (RuntimeException e) { // AlertStoreException among them
            String incident = Long.toHexString(System.nanoTime());
            LOG.error("{} {} failed (incident {})", method, request.getRequestURI(), incident, e);
            JsonReply.error(response, 500, "the platform could not answer " + request.getRequestURI()
                    + "; the log has the cause under incident " + incident);
        }
    }

    /** A reading user who may not change anything. */
    static final class Forbidden extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Forbidden(String message) {
            super(message, null, false, false);
        }
    }

    /** Refuses the call unless its user may change alerts and suppressions. */
    static void mayChange(Call call) {
        if (!call.user().hasAnyRole(CHANGERS)) {
            throw new Forbidden(call.method() + " " + call.uri() + " changes alerts: it needs a user in one of the roles "
                    + String.join(", ", new TreeSet<>(CHANGERS)) + "; " + call.user().name() + " may only read");
        }
    }

    static List<String> segments(String pathInfo) {
        return pathInfo == null ? List.of() : Arrays.stream(pathInfo.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    /** The change's JSON object (see {@link JsonRequest}). */
    static JsonObject body(Call call) throws IOException {
        return JsonRequest.object(call.request());
    }

    static String text(JsonObject body, String name) {
        Object v = body.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("\"" + name + "\" must be a string");
        }
        return s.isBlank() ? null : s;
    }

    static boolean flag(JsonObject body, String name) {
        Object v = body.get(name);
        if (v == null) {
            return false;
        }
        if (!(v instanceof Boolean b)) {
            throw new IllegalArgumentException("\"" + name + "\" must be true or false");
        }
        return b;
    }
}
