package io.amoskys.http.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.servlet.http.HttpServletResponse;
import org.apache.camel.util.json.Jsoner;

/** How every REST API answers: a JSON body, and errors as {@code {"error": "..."}}. */
public final class JsonReply {
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
}
