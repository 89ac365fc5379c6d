package io.amoskys.web.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;

/** Requests to a servlet without a web server: just what the API's servlets use. */
final class Http {
    /** A request: Basic credentials (password "secret") or a session cookie with headers. */
    record Request(String method, String uri, String pathInfo, String user, Map<String, String> headers, Cookie cookie,
            String contentType, String body) {
        static Request of(String method, String base, String pathInfo, String user) {
            return new Request(method, base + (pathInfo == null ? "" : pathInfo), pathInfo, user, Map.of(), null, null, null);
        }

        Request json(String json) {
            return new Request(method, uri, pathInfo, user, headers, cookie, "application/json", json);
        }

        Request body(String type, String text) {
            return new Request(method, uri, pathInfo, user, headers, cookie, type, text);
        }

        Request session(String id, String csrfToken) {
            Map<String, String> h = new HashMap<>(headers);
            if (csrfToken != null) {
                h.put("X-CSRF-Token", csrfToken);
            }
            return new Request(method, uri, pathInfo, null, h, new Cookie("AMOSKYS_SESSION", id), contentType, body);
        }
    }

    /** What the servlet answered. */
    static final class Answer {
        int status;
        final Map<String, String> headers = new HashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        String text() {
            return body.toString(StandardCharsets.UTF_8);
        }

        JsonObject json() throws Exception {
            return (JsonObject) Jsoner.deserialize(text());
        }

        String error() throws Exception {
            return json().getString("error");
        }

        @Override
        public String toString() {
            return status + " " + text();
        }
    }

    private Http() {}

    static HttpServletRequest request(Request r) {
        ByteArrayInputStream in = new ByteArrayInputStream(r.body() == null ? new byte[0] : r.body().getBytes(StandardCharsets.UTF_8));
        ServletInputStream stream = new ServletInputStream() {
            @Override public boolean isFinished() { return in.available() == 0; }
            @Override public boolean isReady() { return true; }
            @Override public void setReadListener(ReadListener listener) {}
            @Override public int read() { return in.read(); }
        };
        String authorization = r.user() == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((r.user() + ":secret").getBytes(StandardCharsets.UTF_8));
        return (HttpServletRequest) Proxy.newProxyInstance(Http.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> r.method();
                    case "getPathInfo" -> r.pathInfo();
                    case "getRequestURI" -> r.uri();
                    case "getHeader" -> "Authorization".equalsIgnoreCase((String) args[0]) ? authorization : r.headers().get((String) args[0]);
                    case "getCookies" -> r.cookie() == null ? null : new Cookie[] {r.cookie()};
                    case "getContentType" -> r.contentType();
                    case "getInputStream" -> stream;
                    case "getRemoteAddr" -> "127.0.0.1";
                    default -> null;
                });
    }

    static HttpServletResponse response(Answer answer) {
        ServletOutputStream out = new ServletOutputStream() {
            @Override public boolean isReady() { return true; }
            @Override public void setWriteListener(WriteListener listener) {}
            @Override public void write(int b) { answer.body.write(b); }
        };
        return (HttpServletResponse) Proxy.newProxyInstance(Http.class.getClassLoader(), new Class<?>[] {HttpServletResponse.class},
                (proxy, m, args) -> {
                    switch (m.getName()) {
                        case "setStatus" -> answer.status = (Integer) args[0];
                        case "setHeader" -> answer.headers.put((String) args[0], (String) args[1]);
                        case "getOutputStream" -> {
                            return out;
                        }
                        case "isCommitted" -> {
                            return answer.body.size() > 0;
                        }
                        case "reset" -> {
                            answer.headers.clear();
                            answer.body.reset();
                        }
                        default -> { }
                    }
                    return null;
                });
    }
}
