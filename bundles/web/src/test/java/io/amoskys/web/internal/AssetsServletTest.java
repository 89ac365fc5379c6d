package io.amoskys.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

class AssetsServletTest {
    private final AssetsServlet servlet = new AssetsServlet();

    private static final class Sent {
        int status;
        String redirect;
        final Map<String, String> headers = new HashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        HttpServletResponse response() {
            ServletOutputStream out = new ServletOutputStream() {
                @Override public void write(int b) { body.write(b); }
                @Override public boolean isReady() { return true; }
                @Override public void setWriteListener(WriteListener l) {}
            };
            return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {HttpServletResponse.class},
                    (proxy, m, args) -> switch (m.getName()) {
                        case "setStatus" -> { status = (Integer) args[0]; yield null; }
                        case "setHeader" -> headers.put((String) args[0], (String) args[1]);
                        case "setContentType" -> headers.put("Content-Type", (String) args[0]);
                        case "sendRedirect" -> { redirect = (String) args[0]; yield null; }
                        case "getOutputStream" -> out;
                        default -> null;
                    });
        }
    }

    private Sent get(String pathInfo) throws Exception {
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getPathInfo" -> pathInfo;
                    case "getContextPath" -> "";
                    case "getRequestURI" -> "/amoskys" + (pathInfo == null ? "" : pathInfo);
                    default -> null;
                });
        Sent sent = new Sent();
        servlet.doGet(request, sent.response());
        return sent;
    }

    @Test
    void servesThePageAndItsFilesWithAStrictPolicy() throws Exception {
        Sent page = get("/");
        assertEquals(200, page.status);
        assertEquals("text/html; charset=utf-8", page.headers.get("Content-Type"));
        String html = page.body.toString(StandardCharsets.UTF_8);
        assertTrue(html.contains("<script src=\"app.js\" defer></script>") && !html.contains("http"), "only its own files: " + html);
        assertTrue(page.headers.get("Content-Security-Policy").startsWith("default-src 'self'"));
        assertEquals("DENY", page.headers.get("X-Frame-Options"));
        assertEquals("text/javascript; charset=utf-8", get("/app.js").headers.get("Content-Type"));
        assertEquals("text/css; charset=utf-8", get("/app.css").headers.get("Content-Type"));
        assertEquals("/amoskys/", get(null).redirect, "/amoskys goes to /amoskys/");
    }

    @Test
    void nothingOutsideItsFolderAndNoUnknownFile() throws Exception {
        for (String path : new String[] {"/../web/index.html", "/..%2fMETA-INF/MANIFEST.MF", "/io/amoskys/web/internal/AssetsServlet.class",
                "/missing.js", "/index.htm", "/APP.JS"}) {
            Sent sent = get(path);
            assertEquals(404, sent.status, path);
            assertTrue(sent.body.toString(StandardCharsets.UTF_8).contains("the dashboard is at"), path);
        }
    }

    @Test
    void thePageSetsTextNeverHtmlFromData() throws Exception {
        String script = get("/app.js").body.toString(StandardCharsets.UTF_8);
        assertTrue(!script.contains("innerHTML") && !script.contains("insertAdjacentHTML") && !script.contains("document.write"),
                "alert and telemetry text is attacker-controlled: the page must never parse it as HTML");
    }
}
