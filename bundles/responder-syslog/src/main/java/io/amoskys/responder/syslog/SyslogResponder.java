package io.amoskys.responder.syslog;

import io.amoskys.api.PluginName;
import io.amoskys.api.event.Alert;
import io.amoskys.api.response.Action;
import io.amoskys.api.response.ActionOutcome;
import io.amoskys.api.response.ActionRequest;
import io.amoskys.api.response.ActionResponder;
import io.amoskys.api.response.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A syslog destination: sends an alert as one RFC 5424 or CEF message, one instance per factory
 * configuration, each registered under the responder name its configuration gives
 * ({@code amoskys.plugin.name}, by default {@code syslog}). Syslog has no acknowledgement, so a
 * retry may repeat a message the receiver got: the action id travels in every message (SD
 * parameter {@code actionId}, CEF {@code externalId}) for receivers to drop duplicates.
 */
@Component(service = ActionResponder.class, configurationPid = SyslogResponder.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = SyslogConfig.class, factory = true)
@PluginName("syslog")
public class SyslogResponder implements ActionResponder {
    public static final String PID = "io.amoskys.responder.syslog";
    /** Far above what the capped alert fields make, and below what receivers must accept over TCP. */
    static final int MAX_MESSAGE_BYTES = 8 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(SyslogResponder.class);

    private final SyslogSettings settings;
    private final SyslogSender sender;

    @Activate
    public SyslogResponder(SyslogConfig config) {
        this.settings = new SyslogSettings(config);
        this.sender = new SyslogSender(settings);
        if (!settings.problems().isEmpty()) {
            LOG.warn("Syslog responder '{}' cannot be armed: {}", settings.name, String.join("; ", settings.problems()));
        }
    }

    @Override
    public List<ActionRequest> plan(Alert alert) {
        if (!settings.problems().isEmpty()) {
            throw new IllegalArgumentException("syslog responder '" + settings.name + "' is misconfigured: "
                    + String.join("; ", settings.problems()));
        }
        String description = "send alert " + alert.id() + " (" + alert.severity() + ", rule " + alert.rule() + ") as "
                + settings.format.name().toLowerCase(java.util.Locale.ROOT) + " syslog to " + settings.recipient();
        return List.of(ActionRequest.of("notify", Target.recipient(settings.recipient()), description)
                .withParameters(AlertFacts.parameters(alert)));
    }

    @Override
    public ActionOutcome execute(Action action) {
        if (!settings.problems().isEmpty()) {
            return ActionOutcome.failed("misconfigured: " + String.join("; ", settings.problems()));
        }
        byte[] message;
        try {
            message = message(AlertFacts.of(action)).getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return ActionOutcome.failed("the action cannot be sent: " + e.getMessage());
        }
        if (message.length > MAX_MESSAGE_BYTES) {
            return ActionOutcome.failed("the message would be " + message.length + " bytes, more than the "
                    + MAX_MESSAGE_BYTES + " this responder sends");
        }
        try {
            return ActionOutcome.succeeded(sender.send(message));
        } catch (IOException e) {
            String what = settings.format.name().toLowerCase(java.util.Locale.ROOT) + " to " + settings.recipient() + ": ";
            // An untrusted certificate or one that does not name the host stays so: retrying does not help.
            return certificateProblem(e) ? ActionOutcome.failed(what + "the receiver's certificate is refused: " + e)
                    : ActionOutcome.retry(what + e);
        }
    }

    String message(AlertFacts facts) {
        return settings.format == SyslogSettings.Format.CEF
                ? Rfc5424.withText(settings, facts, Cef.record(facts))
                : Rfc5424.message(settings, facts);
    }

    private static boolean certificateProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<String> configurationProblems() {
        return settings.problems();
    }
}
