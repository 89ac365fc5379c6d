package io.amoskys.bus.rest;

import io.amoskys.bus.internal.BusService;
import io.amoskys.bus.internal.TrustStore;
import io.amoskys.bus.internal.TrustedKey;
import io.amoskys.http.auth.AuthenticatedUser;
import io.amoskys.http.auth.HttpBasicGate;
import io.amoskys.http.auth.JsonReply;
import io.amoskys.http.auth.Roles;
import io.amoskys.schema.Ed25519Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.camel.util.json.DeserializationException;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trust store over REST, for provisioning tools: {@code GET /amoskys/api/keys} lists,
 * {@code POST /amoskys/api/keys} {"agent","publicKey"} enrolls,
 * {@code POST /amoskys/api/keys/rotate} {"agent","publicKey","graceHours"} rotates,
 * {@code DELETE /amoskys/api/keys/KEYID} revokes. HTTP Basic with a Karaf user in role admin;
 * every change is logged with who made it.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/amoskys/api/keys/*")
@HttpWhiteboardServletName("amoskys-keys")
public class KeysServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(KeysServlet.class);
    private static final int MAX_BODY = 16 * 1024;

    private final transient BusService bus;
    private final transient HttpBasicGate gate;

    @Activate
    public KeysServlet(@Reference BusService bus, @Reference HttpBasicGate gate) {
        this.bus = bus;
        this.gate = gate;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<AuthenticatedUser> admitted = gate.admit(request, response, Roles.ADMINS);
        if (admitted.isEmpty()) {
            return;
        }
        String user = admitted.get().name();
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        try {
            switch (request.getMethod() + " " + (path.length() > 1 && !path.equals("/rotate") ? "/KEY" : path)) {
                case "GET /" -> JsonReply.send(response, 200, list());
                case "POST /" -> {
                    JsonObject body = body(request);
                    TrustedKey key = bus.trust().enroll(field(body, "agent"), Ed25519Keys.decodePublic(field(body, "publicKey")));
                    LOG.info("{} enrolled key {} for agent {} over REST", user, key.keyId(), key.agentId());
                    JsonReply.send(response, 201, json(key));
                }
                case "POST /rotate" -> {
                    JsonObject body = body(request);
                    long grace = body.containsKey("graceHours") ? Long.parseLong(body.get("graceHours").toString()) : 24;
                    if (grace < 0 || grace > TrustStore.MAX_GRACE.toHours()) {
                        throw new IllegalArgumentException("graceHours must be 0 to " + TrustStore.MAX_GRACE.toHours() + ", was " + grace);
                    }
                    TrustedKey key = bus.trust().rotate(field(body, "agent"), Ed25519Keys.decodePublic(field(body, "publicKey")),
                            Duration.ofHours(grace));
                    LOG.info("{} rotated agent {} to key {} over REST", user, key.agentId(), key.keyId());
                    JsonReply.send(response, 201, json(key));
                }
                case "DELETE /KEY" -> {
                    TrustedKey key = bus.trust().revoke(path.substring(1));
                    LOG.info("{} revoked key {} of agent {} over REST", user, key.keyId(), key.agentId());
                    JsonReply.send(response, 200, json(key));
                }
                default -> JsonReply.error(response, 405, request.getMethod() + " " + path + " is not part of this API");
            }
        } catch (IllegalArgumentException e) {
            JsonReply.error(response, 400, e.getMessage());
        } catch (RuntimeException e) { // the trust store failing: an incident, not Jetty's error page
            JsonReply.failed(request, response, e);
        }
    }

    private static JsonObject body(HttpServletRequest request) throws IOException {
        // Only JSON: a browser cannot send it cross-site without a preflight, so a page an admin
        // visits cannot use the browser's remembered credentials to change the trust store.
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new IllegalArgumentException("the request body must be sent as Content-Type: application/json");
        }
        byte[] bytes = request.getInputStream().readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw new IllegalArgumentException("request body larger than " + MAX_BODY + " bytes");
        }
        try {
            Object parsed = Jsoner.deserialize(new String(bytes, StandardCharsets.UTF_8));
            if (parsed instanceof JsonObject object) {
                return object;
            }
        } catch (DeserializationException e) {
            throw new IllegalArgumentException("request body is not JSON: " + e.getMessage());
        }
        throw new IllegalArgumentException("request body must be a JSON object");
    }

    private static String field(JsonObject body, String name) {
        Object value = body.get(name);
        if (!(value instanceof String text) || text.isBlank()) {
            throw new IllegalArgumentException("\"" + name + "\" (a string) is missing");
        }
        return text;
    }

    private Map<String, Object> list() {
        return Map.of("keys", bus.trust().list().stream().map(KeysServlet::json).toList());
    }

    private static JsonObject json(TrustedKey key) {
        JsonObject o = new JsonObject();
        o.put("keyId", key.keyId());
        o.put("agent", key.agentId());
        o.put("publicKey", key.publicKeyText());
        o.put("state", key.state(Instant.now()));
        o.put("enrolled", key.enrolled().toString());
        o.put("expires", key.expires() == null ? null : key.expires().toString());
        o.put("revoked", key.revoked() == null ? null : key.revoked().toString());
        return o;
    }
}
