package io.amoskys.http.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.camel.util.json.Jsoner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How every REST API answers: a JSON body, and errors as {@code {"error": "..."}}. */
public final class JsonReply {
    private static final Logger LOG = LoggerFactory.getLogger(JsonReply.class);
    private JsonReply() {}

    /** Sends {@code json} (maps, lists, strings, numbers, booleans, null) with the status. */
    public static void send(HttpServletResponse response, int status, Object json) throws IOException {
        byte[] body = Jsoner.serialize(json).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json; charset=utf-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    public static void error(HttpServletResponse response, int status, String message) throws IOException {
        send(response, status, Map.of("error", message));
    }

    /**
     * Answers 500 for a failure nothing else answered, naming an incident number under which the
     * log has the cause: the client learns nothing of the platform's insides (a database's
     * message, a class name), which Jetty's own error page would show.
     *
     * @since 2.4
     */
    public static void failed(HttpServletRequest request, HttpServletResponse response, RuntimeException e) throws IOException {
        String incident = Long.toHexString(System.nanoTime());
        LOG.error("{} {} failed (incident {})", request.getMethod(), request.getRequestURI(), incident, e);
        if (response.isCommitted()) {
            return; // part of an answer is out already: nothing more can be said
        }
        response.reset();
        error(response, 500, "the platform could not answer " + request.getRequestURI() + "; the log has the cause under incident "
                + incident);
    }
}
