package io.amoskys.rest.admin;

import javax.servlet.http.HttpServletRequest;

/** Nothing at the requested path: answered 404 with the message. */
final class NoSuchResource extends Exception {
    private static final long serialVersionUID = 1L;

    NoSuchResource(String message) {
        super(message, null, false, false);
    }

    static NoSuchResource at(HttpServletRequest request) {
        return new NoSuchResource("no such resource: " + request.getRequestURI()
                + " (the API has /amoskys/api/v1/agents and /amoskys/api/v1/devices)");
    }
}
