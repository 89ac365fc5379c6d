package io.amoskys.rest.admin;

import io.amoskys.admin.view.AgentSummary;
import io.amoskys.admin.view.Devices;
import io.amoskys.api.admin.DeviceHealthSource;
import io.amoskys.api.admin.PlatformStatus;
import io.amoskys.http.auth.HttpBasicGate;
import java.util.List;
import java.util.function.Supplier;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServletRequest;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/** {@code GET /amoskys/api/v1/agents}: every agent with its devices up, devices, events/s and errors, as amoskys:agents. */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/amoskys/api/v1/agents/*")
@HttpWhiteboardServletName("amoskys-api-v1-agents")
public class AgentsServlet extends ReadOnlyResource {
    private static final long serialVersionUID = 1L;

    private final transient PlatformStatus status;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    transient volatile List<DeviceHealthSource> sources = List.of();

    @Activate
    public AgentsServlet(@Reference PlatformStatus status, @Reference HttpBasicGate gate) {
        super(gate);
        this.status = status;
    }

    @Override
    Supplier<Object> resource(List<String> path, HttpServletRequest request) throws NoSuchResource {
        if (!path.isEmpty()) {
            throw NoSuchResource.at(request);
        }
        return () -> AdminJson.agents(AgentSummary.of(status.plugins(), Devices.of(sources, null)));
    }
}
