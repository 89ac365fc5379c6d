package io.amoskys.http.auth.internal;

import io.amoskys.http.auth.BrowserSessions;
import io.amoskys.http.auth.HttpBasicGate;
import io.amoskys.http.auth.JsonReply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
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

/**
 * {@code /amoskys/api/v1/session}, a browser's login: {@code POST {"user", "password"}} opens a
 * session (an HttpOnly, SameSite=Strict cookie) and answers its CSRF token; {@code GET} answers the
 * session's user, roles and token (a reloaded page finds them again); {@code DELETE} logs out.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/amoskys/api/v1/session")
@HttpWhiteboardServletName("amoskys-api-v1-session")
public class SessionServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY = 4096;

    private final transient HttpBasicGate gate;

    @Activate
    public SessionServlet(@Reference HttpBasicGate gate) {
        this.gate = gate;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonObject body;
        try {
            body = body(request);
        } catch (IllegalArgumentException e) {
            JsonReply.error(response, 400, e.getMessage());
            return;
        }
        Object user = body.get("user");
        Object password = body.get("password");
        if (!(user instanceof String name) || name.isBlank() || !(password instanceof String secret)) {
            JsonReply.error(response, 400, "a login is {\"user\": \"...\", \"password\": \"...\"}");
            return;
        }
        Optional<BrowserSessions.Session> session = gate.login(request, response, name, secret.toCharArray());
        if (session.isPresent()) {
            response.addHeader("Set-Cookie", cookie(request, session.get().id(), -1));
            JsonReply.send(response, 200, describe(session.get()));
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<BrowserSessions.Session> session = gate.session(request);
        if (session.isEmpty()) {
            JsonReply.error(response, 401, "no session: log in with POST /amoskys/api/v1/session");
            return;
        }
        JsonReply.send(response, 200, describe(session.get()));
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<BrowserSessions.Session> session = gate.session(request);
        if (session.isEmpty()) {
            JsonReply.error(response, 401, "no session to log out of");
            return;
        }
        if (!HttpBasicGate.carriesCsrfToken(session.get(), request)) {
            JsonReply.error(response, 403, "logging out needs the session's CSRF token in the " + HttpBasicGate.CSRF_HEADER + " header");
            return;
        }
        gate.sessions().close(session.get().id());
        response.addHeader("Set-Cookie", cookie(request, "", 0));
        JsonReply.send(response, 200, java.util.Map.of("loggedOut", session.get().user().name()));
    }

    private JsonObject describe(BrowserSessions.Session session) {
        JsonObject o = new JsonObject();
        o.put("user", session.user().name());
        o.put("roles", new org.apache.camel.util.json.JsonArray(new TreeSet<>(session.user().roles())));
        o.put("csrfToken", session.csrfToken());
        o.put("idleTimeoutSeconds", gate.sessions().idleSeconds());
        return o;
    }

    /** The session cookie: never readable by scripts, never sent by another site's page; Secure over TLS (to a trusted proxy too). */
    private String cookie(HttpServletRequest request, String value, int maxAge) {
        return HttpBasicGate.SESSION_COOKIE + "=" + value + "; Path=/amoskys; HttpOnly; SameSite=Strict"
                + (maxAge >= 0 ? "; Max-Age=" + maxAge : "") + (gate.clients().secure(request) ? "; Secure" : "");
    }

    private static JsonObject body(HttpServletRequest request) throws IOException {
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new IllegalArgumentException("a login must be sent as Content-Type: application/json");
        }
        byte[] bytes = request.getInputStream().readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw new IllegalArgumentException("a login body is at most " + MAX_BODY + " bytes");
        }
        try {
            if (Jsoner.deserialize(new String(bytes, StandardCharsets.UTF_8)) instanceof JsonObject object) {
                return object;
            }
        } catch (DeserializationException e) {
            throw new IllegalArgumentException("the login body is not JSON: " + e.getMessage());
        }
        throw new IllegalArgumentException("the login body must be a JSON object");
    }
}
