package io.amoskys.responder.email;

import io.amoskys.api.PluginName;
import io.amoskys.api.event.Alert;
import io.amoskys.api.response.Action;
import io.amoskys.api.response.ActionOutcome;
import io.amoskys.api.response.ActionRequest;
import io.amoskys.api.response.ActionResponder;
import io.amoskys.api.response.Target;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * E-mails an alert over SMTP, one instance per factory configuration, each registered under the
 * responder name its configuration gives ({@code amoskys.plugin.name}, by default {@code email}).
 * Subject, body and date are fixed when the action is planned and the Message-ID comes from the
 * action id, so a retry, or a resend after a crash, is the very same message: mail clients and
 * servers that drop duplicate Message-IDs show it once.
 */
@Component(service = ActionResponder.class, configurationPid = EmailResponder.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = EmailConfig.class, factory = true)
@PluginName("email")
public class EmailResponder implements ActionResponder {
    public static final String PID = "io.amoskys.responder.email";
    static final int MAX_BODY_BYTES = 64 * 1024;
    static final int MAX_SUBJECT_CHARS = 200;
    private static final Logger LOG = LoggerFactory.getLogger(EmailResponder.class);

    private final EmailSettings settings;
    private final Clock clock;

    @Activate
    public EmailResponder(EmailConfig config) {
        this(config, Clock.systemUTC());
    }

    EmailResponder(EmailConfig config, Clock clock) {
        this.settings = new EmailSettings(config);
        this.clock = clock;
        if (!settings.problems().isEmpty()) {
            LOG.warn("E-mail responder '{}' cannot be armed: {}", settings.name, String.join("; ", settings.problems()));
        }
    }

    @Override
    public List<ActionRequest> plan(Alert alert) {
        if (!settings.problems().isEmpty()) {
            throw new IllegalArgumentException("e-mail responder '" + settings.name + "' is misconfigured: "
                    + String.join("; ", settings.problems()));
        }
        String body = settings.body.render(alert);
        int bytes = body.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("the body for alert " + alert.id() + " would be " + bytes
                    + " bytes, more than the " + MAX_BODY_BYTES + " an e-mail sends");
        }
        String subject = settings.subject.render(alert);
        if (subject.codePointCount(0, subject.length()) > MAX_SUBJECT_CHARS) {
            subject = subject.substring(0, subject.offsetByCodePoints(0, MAX_SUBJECT_CHARS - 1)) + "…";
        }
        String to = String.join(",", settings.to);
        return List.of(ActionRequest.of("notify", Target.recipient(to),
                        "e-mail alert " + alert.id() + " to " + String.join(", ", settings.to) + " via " + settings.server())
                .withParameters(Map.of("subject", subject, "body", body, "to", to,
                        "date", MailMessage.date(clock.instant()))));
    }

    @Override
    public ActionOutcome execute(Action action) {
        if (!settings.problems().isEmpty()) {
            return ActionOutcome.failed("misconfigured: " + String.join("; ", settings.problems()));
        }
        Map<String, String> p = action.request().parameters();
        if (p.get("body") == null || p.get("subject") == null || p.get("to") == null || p.get("date") == null) {
            return ActionOutcome.failed("the action lacks its subject, body, recipients or date");
        }
        List<String> recipients = List.of(p.get("to").split(","));
        for (String recipient : recipients) {
            String problem = MailAddress.problem(recipient);
            if (problem != null) {
                return ActionOutcome.failed("recipient '" + recipient + "' " + problem);
            }
        }
        String message = MailMessage.compose(settings.from, settings.fromName, recipients, p.get("subject"),
                p.get("date"), action.id(), action.alertId(), p.get("body"), settings.bodyEncoding);
        return new SmtpDelivery(settings).deliver(recipients, message);
    }

    @Override
    public List<String> configurationProblems() {
        return settings.problems();
    }
}
