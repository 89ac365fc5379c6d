package io.amoskys.alerts.rest;

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
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.camel.util.json.Jsoner;

/** Requests to a servlet without a web server: just what the API's servlets use. */
final class Http {
    /** What the servlet answered. */
    static final class Answer {
        int status;
        final Map<String, String> headers = new HashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        String text() {
            return body.toString(StandardCharsets.UTF_8);
        }

        @SuppressWarnings("unchecked")
        <T> T json() throws Exception {
            return (T) Jsoner.deserialize(text());
        }

        @Override
        public String toString() {
            return status + " " + text();
        }
    }

    private Http() {}

    static HttpServletRequest request(String method, String base, String pathInfo, String user, Map<String, String> parameters,
                                      String contentType, String body) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        ServletInputStream stream = new ServletInputStream() {
            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {}

            @Override
            public int read() {
                return in.read();
            }
        };
        String authorization = user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":secret").getBytes(StandardCharsets.UTF_8));
        return (HttpServletRequest) Proxy.newProxyInstance(Http.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getPathInfo" -> pathInfo;
                    case "getRequestURI" -> base + (pathInfo == null ? "" : pathInfo);
                    case "getHeader" -> "Authorization".equalsIgnoreCase((String) args[0]) ? authorization : null;
                    case "getParameter" -> parameters.get((String) args[0]);
                    case "getContentType" -> contentType;
                    case "getInputStream" -> stream;
                    case "getRemoteAddr" -> "127.0.0.1";
                    default -> null;
                });
    }

    static HttpServletResponse response(Answer answer) {
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {}

            @Override
            public void write(int b) {
                answer.body.write(b);
            }
        };
        return (HttpServletResponse) Proxy.newProxyInstance(Http.class.getClassLoader(), new Class<?>[] {HttpServletResponse.class},
                (proxy, m, args) -> {
                    switch (m.getName()) {
                        case "setStatus" -> answer.status = (Integer) args[0];
                        case "setHeader" -> answer.headers.put((String) args[0], (String) args[1]);
                        case "getOutputStream" -> {
                            return out;
                        }
                        default -> { }
                    }
                    return null;
                });
    }
}
