package io.amoskys.web.internal;

import io.amoskys.http.auth.JsonRequest;
import java.io.IOException;
import javax.servlet.http.HttpServletRequest;
import org.apache.camel.util.json.JsonObject;

/** The JSON object a change sends, read as every REST API reads it ({@link JsonRequest}). */
final class JsonBody {
    private JsonBody() {}

    /** The change's JSON object (see {@link JsonRequest}). */
    static JsonObject read(HttpServletRequest request) throws IOException {
        return JsonRequest.object(request);
    }

    /** A string member, null when absent or blank. */
    static String text(JsonObject body, String name) {
        Object v = body.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("\"" + name + "\" must be a string");
        }
        return s.isBlank() ? null : s.strip();
    }
}
