package io.amoskys.rest.admin;

import io.amoskys.admin.view.Devices;
import io.amoskys.api.admin.DeviceDTO;
import io.amoskys.api.admin.DeviceHealthSource;
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

/**
 * {@code GET /amoskys/api/v1/devices[?agent=NAME]}: every device of every agent (or of one), as
 * amoskys:devices; {@code GET /amoskys/api/v1/devices/AGENT/NAME}: one device. A name may hold
 * slashes (MQTT sensors are named after their topic), so everything after the agent is the name.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/amoskys/api/v1/devices/*")
@HttpWhiteboardServletName("amoskys-api-v1-devices")
public class DevicesServlet extends ReadOnlyResource {
    private static final long serialVersionUID = 1L;

    @Activate
    public DevicesServlet(@Reference HttpBasicGate gate) {
        super(gate);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    transient volatile List<DeviceHealthSource> sources = List.of();

    @Override
    Supplier<Object> resource(List<String> path, HttpServletRequest request) throws NoSuchResource {
        List<DeviceHealthSource> now = sources;
        if (path.isEmpty()) {
            String agent = request.getParameter("agent");
            return () -> AdminJson.devices(Devices.of(now, agent == null || agent.isBlank() ? null : agent));
        }
        if (path.size() < 2) {
            throw NoSuchResource.at(request);
        }
        String agent = path.get(0);
        String name = String.join("/", path.subList(1, path.size()));
        DeviceDTO device = Devices.find(now, agent, name)
                .orElseThrow(() -> new NoSuchResource("agent " + agent + " has no device " + name
                        + " (GET /amoskys/api/v1/devices lists them)"));
        return () -> AdminJson.device(device);
    }
}
