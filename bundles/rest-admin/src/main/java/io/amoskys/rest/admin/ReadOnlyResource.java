package io.amoskys.rest.admin;

import io.amoskys.http.auth.HttpBasicGate;
import io.amoskys.http.auth.JsonReply;
import io.amoskys.http.auth.Roles;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * A part of the REST API that only reads: users in a reading role ({@link Roles#READERS}) get its
 * JSON on GET. Any other method is 405, a path it does not know 404, both as JSON errors.
 */
abstract class ReadOnlyResource extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient HttpBasicGate gate;

    ReadOnlyResource(HttpBasicGate gate) {
        this.gate = gate;
    }

    /**
     * What GET on {@code path} answers, or {@link NoSuchResource} when there is nothing there.
     *
     * @param path the request's path below the servlet's pattern, in segments (empty for the pattern itself)
     */
    abstract Supplier<Object> resource(List<String> path, HttpServletRequest request) throws NoSuchResource;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (gate.admit(request, response, Roles.READERS).isEmpty()) {
            return;
        }
        try {
            // Found before the method is checked: a path that does not exist is 404 whatever the method.
            Supplier<Object> resource = resource(segments(request.getPathInfo()), request);
            if (!"GET".equals(request.getMethod())) {
                response.setHeader("Allow", "GET");
                JsonReply.error(response, 405, request.getMethod() + " " + request.getRequestURI()
                        + " is not allowed: this part of the API only reads (GET)");
                return;
            }
            JsonReply.send(response, 200, resource.get());
        } catch (NoSuchResource e) {
            JsonReply.error(response, 404, e.getMessage());
        } catch (RuntimeException e) {
            // The cause goes to the log only: an exception's text is no business of a viewer's.
            String incident = Long.toHexString(System.nanoTime());
            log("GET " + request.getRequestURI() + " failed (incident " + incident + ")", e);
            JsonReply.error(response, 500, "the platform could not answer " + request.getRequestURI()
                    + "; the log has the cause under incident " + incident);
        }
    }

    static List<String> segments(String pathInfo) {
        return pathInfo == null ? List.of() : Arrays.stream(pathInfo.split("/")).filter(s -> !s.isEmpty()).toList();
    }
}
