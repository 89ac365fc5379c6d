package io.amoskys.alerts.rest;

import io.amoskys.http.auth.HttpBasicGate;
import io.amoskys.http.auth.JsonResource;
import io.amoskys.http.auth.Roles;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.util.json.JsonObject;

/**
 * A part of the alerts REST API: users in a reading role ({@link Roles#READERS}) may GET, and only
 * {@code operator} and {@code admin} may change anything (POST, DELETE; 403 for a viewer). Errors
 * are JSON: 400 for a malformed request, 404 for an unknown path or id, 405 for a method the path
 * does not take, 409 for a change the alert's lifecycle does not allow, 500 when the store failed.
 */
abstract class RestResource extends JsonResource {
    private static final long serialVersionUID = 1L;
    /** The roles that may change alerts and suppressions. */
    static final Set<String> CHANGERS = Set.of(Roles.OPERATOR, Roles.ADMIN);

    RestResource(HttpBasicGate gate) {
        super(gate);
    }

    /** Nothing at the path (a 404). */
    static final class NotFound extends NoSuchElementException {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // an answer, not a fault
        }
    }

    /** Refuses the call unless its user may change alerts and suppressions. */
    static void mayChange(Call call) {
        if (!call.user().hasAnyRole(CHANGERS)) {
            throw new Forbidden(call.method() + " " + call.uri() + " changes alerts: it needs a user in one of the roles "
                    + String.join(", ", new TreeSet<>(CHANGERS)) + "; " + call.user().name() + " may only read");
        }
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
