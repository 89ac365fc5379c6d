package io.amoskys.http.auth;

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

/**
 * A part of a JSON REST API behind the login gate: users in a reading role ({@link Roles#READERS})
 * get in; a resource answers a {@link Call} with a {@link Reply}, and refuses in exceptions that
 * become JSON errors: {@link IllegalArgumentException} 400, {@link Forbidden} 403,
 * {@link NoSuchElementException} 404, {@link NotAllowed} 405, {@link IllegalStateException} 409,
 * any other 500 (logged under an incident number the answer names).
 *
 * @since 2.3
 */
public abstract class JsonResource extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient HttpBasicGate gate;

    protected JsonResource(HttpBasicGate gate) {
        this.gate = gate;
    }

    /** What the API answers. */
    public record Reply(int status, Object json) {
        public static Reply ok(Object json) {
            return new Reply(200, json);
        }
    }

    /** A request as a resource sees it: method, path below the servlet in segments, the user. */
    public record Call(String method, List<String> path, HttpServletRequest request, AuthenticatedUser user) {
        /** The query parameter, stripped; null when absent or blank. */
        public String parameter(String name) {
            String v = request.getParameter(name);
            return v == null || v.isBlank() ? null : v.strip();
        }

        public String uri() {
            return request.getRequestURI();
        }

        public String userName() {
            return user.name();
        }
    }

    /** The path exists but does not take the method. */
    public static final class NotAllowed extends Exception {
        private static final long serialVersionUID = 1L;
        private final String allow;

        public NotAllowed(String allow) {
            super(null, null, false, false);
            this.allow = allow;
        }
    }

    /** A reading user who lacks the role a change needs. */
    public static final class Forbidden extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Forbidden(String message) {
            super(message, null, false, false);
        }
    }

    protected abstract Reply handle(Call call) throws IOException, NotAllowed;

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
            JsonReply.failed(request, response, e);
        }
    }

    /** Refuses the call unless its user holds one of the roles. */
    protected static void require(Call call, Set<String> roles) {
        if (!call.user().hasAnyRole(roles)) {
            throw new Forbidden(call.method() + " " + call.uri() + " needs a user in " + (roles.size() == 1 ? "role " : "one of the roles ")
                    + String.join(", ", new TreeSet<>(roles)) + "; " + call.userName() + " is not");
        }
    }

    /** Refuses the call unless it is made with {@code method}. */
    protected static void only(Call call, String method) throws NotAllowed {
        if (!call.method().equals(method)) {
            throw new NotAllowed(method);
        }
    }

    protected static List<String> segments(String pathInfo) {
        return pathInfo == null ? List.of() : Arrays.stream(pathInfo.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    /** The change's JSON object (see {@link JsonRequest}). */
    protected static JsonObject body(Call call) throws IOException {
        return JsonRequest.object(call.request());
    }
}
