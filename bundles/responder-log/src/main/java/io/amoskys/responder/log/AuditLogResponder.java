package io.amoskys.responder.log;

import io.amoskys.api.PluginName;
import io.amoskys.api.Responder;
import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Response;
import io.amoskys.api.event.Score;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Responder {@code log}: writes each alert with its evidence (scores, models, top features,
 * source events) to the {@value #AUDIT_LOGGER} logger, which the distribution routes to
 * {@code data/log/amoskys-audit.log}. It changes nothing, so it needs no arming.
 */
@Component
@PluginName("log")
public class AuditLogResponder implements Responder {
    static final String AUDIT_LOGGER = "io.amoskys.audit";
    private static final Logger AUDIT = LoggerFactory.getLogger(AUDIT_LOGGER);

    @Override
    public Response respond(Alert alert) {
        AUDIT.warn("ALERT id={} rule={} severity={} entity={} title=\"{}\" evidence=[{}]",
                alert.id(), alert.rule(), alert.severity(), alert.entityId(), alert.title(),
                alert.scores().stream().map(AuditLogResponder::evidence).collect(Collectors.joining("; ")));
        return new Response("log", alert.id(), Response.Outcome.DONE, "alert written to the audit log");
    }

    private static String evidence(Score score) {
        return score.detector() + "/" + score.modelVersion() + " score=" + String.format("%.3f", score.value())
                + " top=" + score.topContributions() + " events=" + score.eventIds();
    }
}
