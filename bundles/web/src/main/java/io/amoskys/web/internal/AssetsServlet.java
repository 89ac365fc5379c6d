package io.amoskys.web.internal;

import io.amoskys.http.auth.JsonReply;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The dashboard's files, from this bundle's {@code web/} folder: {@code /amoskys/} is the page,
 * the rest its script, style and icon. Nothing comes from elsewhere (no CDN: it works offline),
 * and the page may load nothing but its own files. The page holds no data: every figure comes
 * from the APIs, which ask who is logged in.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/amoskys", "/amoskys/*"})
@HttpWhiteboardServletName("amoskys-web")
public class AssetsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** Plain names only: no folders, so no way out of {@code web/}. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,64}\\.(html|js|css|svg)");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path == null) {
            response.sendRedirect(request.getContextPath() + "/amoskys/");
            return;
        }
        String name = path.equals("/") ? "index.html" : path.substring(1);
        InputStream file = NAME.matcher(name).matches() ? AssetsServlet.class.getResourceAsStream("/web/" + name) : null;
        if (file == null) {
            JsonReply.error(response, 404, "no page " + request.getRequestURI() + " (the dashboard is at /amoskys/)");
            return;
        }
        try (file) {
            byte[] bytes = file.readAllBytes();
            response.setStatus(200);
            response.setContentType(TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
            response.setHeader("Cache-Control", "no-cache");
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("X-Frame-Options", "DENY");
            response.setHeader("Referrer-Policy", "no-referrer");
            response.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                    + "frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
        }
    }
}
