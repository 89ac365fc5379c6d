package io.amoskys.response.rest;

import io.amoskys.http.auth.HttpBasicGate;
import io.amoskys.http.auth.Roles;
import io.amoskys.response.admin.ResponseAdmin;
import java.io.IOException;
import java.util.NoSuchElementException;
import javax.servlet.Servlet;
import org.apache.camel.util.json.JsonObject;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /amoskys/api/v1/breaker}: {@code GET} the circuit breaker ({@code {"open", "reason"}}),
 * {@code POST} closes it (admin), as {@code amoskys:actions breaker [reset]} does; the answer also
 * says whether it was open.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/amoskys/api/v1/breaker/*")
@HttpWhiteboardServletName("amoskys-api-v1-breaker")
public class BreakerServlet extends ResponseResource {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BreakerServlet.class);

    @Activate
    public BreakerServlet(@Reference ResponseAdmin admin, @Reference HttpBasicGate gate) {
        super(admin, gate);
    }

    @Override
    protected Reply handle(Call call) throws IOException, NotAllowed {
        if (!call.path().isEmpty()) {
            throw new NoSuchElementException("no such resource: " + call.uri() + " (GET or POST /amoskys/api/v1/breaker)");
        }
        switch (call.method()) {
            case "GET" -> {
                return Reply.ok(ResponseJson.breaker(admin.breaker()));
            }
            case "POST" -> {
                require(call, Roles.ADMINS);
                body(call);
                boolean was = admin.resetBreaker(call.userName());
                LOG.warn("{} reset the circuit breaker over REST ({})", call.userName(), was ? "it was open" : "it was closed already");
                JsonObject o = ResponseJson.breaker(admin.breaker());
                o.put("wasOpen", was);
                return Reply.ok(o);
            }
            default -> throw new NotAllowed("GET, POST");
        }
    }
}
