package io.amoskys.response.rest;

import io.amoskys.http.auth.HttpBasicGate;
import io.amoskys.http.auth.Roles;
import io.amoskys.response.admin.ResponderDTO;
import io.amoskys.response.admin.ResponseAdmin;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import javax.servlet.Servlet;
import org.apache.camel.util.json.JsonArray;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /amoskys/api/v1/responders}: {@code GET} lists the action responders (installed or only
 * remembered) with their arming, approval, undo and configuration problems, {@code GET /NAME} one
 * of them, {@code POST /NAME/arm|disarm} lets it act or only describe (admin), as
 * {@code amoskys:actions arm|disarm} does, receipted with the user who logged in.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/amoskys/api/v1/responders/*")
@HttpWhiteboardServletName("amoskys-api-v1-responders")
public class RespondersServlet extends ResponseResource {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RespondersServlet.class);

    @Activate
    public RespondersServlet(@Reference ResponseAdmin admin, @Reference HttpBasicGate gate) {
        super(admin, gate);
    }

    @Override
    protected Reply handle(Call call) throws IOException, NotAllowed {
        List<String> path = call.path();
        if (path.isEmpty()) {
            only(call, "GET");
            return Reply.ok(Map.of("responders", new JsonArray(admin.responders().stream().map(ResponseJson::responder).toList())));
        }
        String name = path.get(0);
        if (path.size() == 1) {
            only(call, "GET");
            return Reply.ok(ResponseJson.responder(admin.responders().stream().filter(r -> r.name.equals(name)).findFirst()
                    .orElseThrow(() -> unknown(name))));
        }
        String change = path.size() == 2 ? path.get(1).toLowerCase(Locale.ROOT) : null;
        if (!"arm".equals(change) && !"disarm".equals(change)) {
            throw new NoSuchElementException("no such resource: " + call.uri() + " (a responder takes GET /amoskys/api/v1/responders/NAME "
                    + "and POST .../NAME/arm and .../NAME/disarm)");
        }
        only(call, "POST");
        require(call, Roles.ADMINS);
        body(call);
        if (admin.responders().stream().noneMatch(r -> r.name.equals(name))) {
            throw unknown(name);
        }
        String user = call.userName();
        ResponderDTO r = change.equals("arm") ? admin.arm(name, user) : admin.disarm(name, user);
        LOG.warn("{} {} responder {} over REST", user, change.equals("arm") ? "armed" : "disarmed", name);
        return Reply.ok(ResponseJson.responder(r));
    }

    private static NoSuchElementException unknown(String name) {
        return new NoSuchElementException("no responder " + name + " (GET /amoskys/api/v1/responders lists them)");
    }
}
