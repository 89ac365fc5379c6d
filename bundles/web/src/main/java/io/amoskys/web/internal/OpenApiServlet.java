package io.amoskys.web.internal;

import java.io.IOException;
import java.io.InputStream;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /amoskys/api/v1/openapi.json}: the REST API described in OpenAPI 3.0, for clients and
 * tools. Open to everyone, as the API's documentation is: it holds no data.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/amoskys/api/v1/openapi.json")
@HttpWhiteboardServletName("amoskys-api-v1-openapi")
public class OpenApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try (InputStream document = OpenApiServlet.class.getResourceAsStream("/api/openapi.json")) {
            byte[] bytes = document.readAllBytes();
            response.setStatus(200);
            response.setContentType("application/json; charset=utf-8");
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
        }
    }
}
