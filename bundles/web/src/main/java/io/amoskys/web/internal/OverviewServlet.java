package io.amoskys.web.internal;

import io.amoskys.api.admin.BusTraffic;
import io.amoskys.api.admin.PlatformStatus;
import io.amoskys.api.alert.AlertStore;
import io.amoskys.http.auth.HttpBasicGate;
import io.amoskys.http.auth.JsonReply;
import io.amoskys.http.auth.Roles;
import java.io.IOException;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/** {@code GET /amoskys/api/v1/overview}: the overview page's figures ({@link Snapshot#overview()}). */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/amoskys/api/v1/overview")
@HttpWhiteboardServletName("amoskys-api-v1-overview")
public class OverviewServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient HttpBasicGate gate;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile BusTraffic traffic;
    private final transient Snapshot snapshot;

    @Activate
    public OverviewServlet(@Reference HttpBasicGate gate, @Reference PlatformStatus platform, @Reference AlertStore alerts) {
        this.gate = gate;
        this.snapshot = new Snapshot(platform, alerts, () -> traffic);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (gate.admit(request, response, Roles.READERS).isPresent()) {
            try {
                JsonReply.send(response, 200, snapshot.overview());
            } catch (RuntimeException e) { // the alert store failing, say: an incident, not Jetty's error page
                JsonReply.failed(request, response, e);
            }
        }
    }
}
