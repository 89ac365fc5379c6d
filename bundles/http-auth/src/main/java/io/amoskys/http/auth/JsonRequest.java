package io.amoskys.http.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.servlet.http.HttpServletRequest;
import org.apache.camel.util.json.DeserializationException;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;

/**
 * The JSON object a change sends. Only {@code Content-Type: application/json} is taken, which no
 * other site's page can make a browser send without a preflight: a page an operator visits cannot
 * use the browser's remembered credentials to change anything.
 *
 * @since 2.2
 */
public final class JsonRequest {
    /** The largest body a change may have. */
    public static final int MAX_BYTES = 16 * 1024;

    private JsonRequest() {}

    /**
     * @return the body's object, {@code {}} when the body is empty
     * @throws IllegalArgumentException saying what is wrong: the content type, the size, not JSON, not an object
     */
    public static JsonObject object(HttpServletRequest request) throws IOException {
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
}
