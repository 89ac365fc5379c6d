package io.amoskys.web.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.servlet.http.HttpServletRequest;
import org.apache.camel.util.json.DeserializationException;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;

/**
 * The JSON object a change sends; as the alerts API takes it, only as {@code Content-Type:
 * application/json}, which no other site's page can make a browser send without a preflight: a
 * page an operator visits cannot use the browser's remembered Basic credentials.
 */
final class JsonBody {
    static final int MAX_BYTES = 16 * 1024;

    private JsonBody() {}

    /** The body's object, {@code {}} when it is empty; {@link IllegalArgumentException} saying what is wrong. */
    static JsonObject read(HttpServletRequest request) throws IOException {
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new IllegalArgumentException(request.getMethod() + " must be sent as Content-Type: application/json "
                    + "(with a JSON object as its body, or none)");
        }
        byte[] bytes = request.getInputStream().readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("request body larger than " + MAX_BYTES + " bytes");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return new JsonObject();
        }
        try {
            if (Jsoner.deserialize(text) instanceof JsonObject object) {
                return object;
            }
        } catch (DeserializationException e) {
            throw new IllegalArgumentException("request body is not JSON: " + e.getMessage());
        }
        throw new IllegalArgumentException("request body must be a JSON object");
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
