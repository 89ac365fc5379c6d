package io.amoskys.rest.admin;

import io.amoskys.http.auth.HttpBasicGate;
import java.util.List;
import java.util.function.Supplier;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServletRequest;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * Any other path under {@code /amoskys/api/v1}: a JSON 404 rather than the web server's page.
 * The whiteboard gives a request to the longest matching pattern, so every resource of the API,
 * whichever bundle registers it, still gets its own requests.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/amoskys/api/v1/*")
@HttpWhiteboardServletName("amoskys-api-v1-unknown")
public class UnknownResourceServlet extends ReadOnlyResource {
    private static final long serialVersionUID = 1L;

    @Activate
    public UnknownResourceServlet(@Reference HttpBasicGate gate) {
        super(gate);
    }

    @Override
    Supplier<Object> resource(List<String> path, HttpServletRequest request) throws NoSuchResource {
        throw NoSuchResource.at(request);
    }
}
