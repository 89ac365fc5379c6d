package io.amoskys.web.internal;

import io.amoskys.http.auth.HttpBasicGate;
import io.amoskys.http.auth.JsonReply;
import io.amoskys.http.auth.Roles;
import io.amoskys.model.runtime.admin.ModelAdmin;
import io.amoskys.model.runtime.admin.ModelStatus;
import java.io.IOException;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /amoskys/api/v1/models}: every model version the runtime knows, as {@code
 * amoskys:models} lists them: state (active, shadow, refused, ...), why, threshold, rows scored,
 * errors and mean call time. Present only while the model runtime is.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/amoskys/api/v1/models")
@HttpWhiteboardServletName("amoskys-api-v1-models")
public class ModelsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient HttpBasicGate gate;
    private final transient ModelAdmin models;

    @Activate
    public ModelsServlet(@Reference HttpBasicGate gate, @Reference ModelAdmin models) {
        this.gate = gate;
        this.models = models;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (gate.admit(request, response, Roles.READERS).isEmpty()) {
            return;
        }
        JsonArray list = new JsonArray();
        for (ModelStatus m : models.models()) {
            JsonObject o = new JsonObject();
            o.put("name", m.name());
            o.put("version", m.version());
            o.put("state", m.state());
            o.put("reason", m.reason());
            o.put("detail", m.detail());
            o.put("threshold", Double.isFinite(m.threshold()) ? m.threshold() : null);
            o.put("rows", m.rows());
            o.put("errors", m.errors());
            o.put("meanCallMicros", Double.isFinite(m.meanCallMicros()) ? m.meanCallMicros() : null);
            o.put("bundleId", m.bundleId());
            list.add(o);
        }
        JsonReply.send(response, 200, new JsonObject(java.util.Map.of("models", list)));
    }
}
