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
        AUDIT.warn(line(alert));
        return new Response("log", alert.id(), Response.Outcome.DONE, "alert written to the audit log");
    }

    /**
     * The alert as one line of the audit log. Its texts come from telemetry (an entity, a title, a
     * label in an event id), which a remote agent or a device on the watched network shapes: line
     * breaks and other control characters are escaped, so that no one can write a line of their own
     * into the audit log, and the entity and the title are quoted, so that neither can end early
     * and add fields of its own ({@code severity=...}).
     */
    static String line(Alert alert) {
        return "ALERT id=" + printable(alert.id()) + " rule=" + printable(alert.rule()) + " severity=" + alert.severity()
                + " entity=" + quoted(alert.entityId()) + " title=" + quoted(alert.title())
                + " evidence=[" + printable(alert.scores().stream().map(AuditLogResponder::evidence).collect(Collectors.joining("; ")))
                + "]";
    }

    private static String quoted(String text) {
        return "\"" + printable(text).replace("\"", "\\\"") + "\"";
    }

    /** Backslashes doubled, control characters as \n, \r, \t or \\uXXXX. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static String evidence(Score score) {
        return score.detector() + "/" + score.modelVersion() + " score=" + String.format("%.3f", score.value())
                + " top=" + score.topContributions() + " events=" + score.eventIds();
    }
}
