package io.amoskys.responder.webhook;

import io.amoskys.response.support.AlertJson;
import io.amoskys.api.PluginName;
import io.amoskys.api.event.Alert;
import io.amoskys.api.response.Action;
import io.amoskys.api.response.ActionOutcome;
import io.amoskys.api.response.ActionRequest;
import io.amoskys.api.response.ActionResponder;
import io.amoskys.api.response.Target;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A webhook: POSTs an alert to a URL, one instance per factory configuration, each registered
 * under the responder name its configuration gives ({@code amoskys.plugin.name}, by default
 * {@code webhook}). The body is rendered when the action is planned, so a retry sends the very
 * same bytes under the same {@code X-Amoskys-Action-Id}, for the receiver to drop duplicates.
 */
@Component(service = ActionResponder.class, configurationPid = WebhookResponder.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = WebhookConfig.class, factory = true)
@PluginName("webhook")
public class WebhookResponder implements ActionResponder {
    public static final String PID = "io.amoskys.responder.webhook";
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookResponder.class);

    private final WebhookSettings settings;
    private final HttpClient client;
    private final Clock clock;

    @Activate
    public WebhookResponder(WebhookConfig config) {
        this(config, Clock.systemUTC());
    }

    WebhookResponder(WebhookConfig config, Clock clock) {
        this.settings = new WebhookSettings(config);
        this.clock = clock;
        // Redirects are not followed: a signed alert goes where it was configured to, or nowhere.
        this.client = HttpClient.newBuilder().connectTimeout(settings.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        if (!settings.problems().isEmpty()) {
            LOG.warn("Webhook '{}' cannot be armed: {}", settings.name, String.join("; ", settings.problems()));
        } else if (settings.secret == null) {
            LOG.warn("Webhook '{}' has no secret (secretFile or .secret): its requests to {} go unsigned",
                    settings.name, settings.recipient);
        }
    }

    @Override
    public List<ActionRequest> plan(Alert alert) {
        if (!settings.problems().isEmpty()) {
            throw new IllegalArgumentException("webhook '" + settings.name + "' is misconfigured: "
                    + String.join("; ", settings.problems()));
        }
        String body = settings.template == null ? AlertJson.of(alert) : settings.template.render(alert, settings.escaping());
        int bytes = body.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("the body for alert " + alert.id() + " would be " + bytes
                    + " bytes, more than the " + MAX_BODY_BYTES + " a webhook sends");
        }
        return List.of(ActionRequest.of("notify", Target.recipient(settings.recipient),
                        "POST alert " + alert.id() + " to " + settings.recipient)
                .withParameters(Map.of("body", body, "contentType", settings.contentType)));
    }

    @Override
    public ActionOutcome execute(Action action) throws InterruptedException {
        if (!settings.problems().isEmpty()) {
            return ActionOutcome.failed("misconfigured: " + String.join("; ", settings.problems()));
        }
        String body = action.request().parameters().get("body");
        if (body == null) {
            return ActionOutcome.failed("the action has no body to send");
        }
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        HttpRequest request;
        try {
            request = request(action, body, timestamp);
        } catch (IllegalArgumentException e) {
            return ActionOutcome.failed("the request cannot be built: " + e.getMessage());
        }
        return send(request);
    }

    private HttpRequest request(Action action, String body, String timestamp) {
        HttpRequest.Builder request = HttpRequest.newBuilder(settings.url).timeout(settings.requestTimeout)
                .header("Content-Type", action.request().parameters().getOrDefault("contentType", settings.contentType))
                .header("User-Agent", "AMOSKYS-webhook")
                .header("X-Amoskys-Action-Id", action.id())
                .header("X-Amoskys-Timestamp", timestamp);
        if (settings.secret != null) {
            request.header("X-Amoskys-Signature", Signature.of(settings.secret, timestamp, body));
        }
        for (String[] header : settings.headers) {
            request.header(header[0], header[1]);
        }
        request.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return request.build();
    }

    private ActionOutcome send(HttpRequest request) throws InterruptedException {
        String what = "POST " + settings.recipient + (settings.secret == null ? " (unsigned)" : " (signed)");
        AnswerHead answer = new AnswerHead();
        CompletableFuture<HttpResponse<Void>> pending =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArrayConsumer(answer));
        HttpResponse<Void> response;
        try {
            // The request timeout ends waiting for the answer's head; this bounds reading its body too.
            long limit = settings.connectTimeout.plus(settings.requestTimeout).toMillis() + 1000;
            response = pending.get(limit, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            return ActionOutcome.retry(what + ": no complete answer in time");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                // Refused, reset, timed out (HttpTimeoutException is an IOException): the receiver may recover.
                return ActionOutcome.retry(what + ": " + cause);
            }
            return ActionOutcome.failed(what + ": " + cause);
        } catch (InterruptedException e) {
            pending.cancel(true);
            throw e;
        }
        return outcome(what, response, answer.text());
    }

    static ActionOutcome outcome(String what, HttpResponse<?> response, String answer) {
        int status = response.statusCode();
        String output = what + ": HTTP " + status + (answer.isEmpty() ? "" : "\nanswer: " + answer);
        if (status >= 200 && status < 300) {
            return ActionOutcome.succeeded(output);
        }
        if (status == 408 || status == 429 || status >= 500) {
            String after = response.headers().firstValue("Retry-After").map(v -> " (Retry-After: " + v + ")").orElse("");
            return ActionOutcome.retry(output + after);
        }
        return ActionOutcome.failed(output);
    }

    @Override
    public List<String> configurationProblems() {
        return settings.problems();
    }
}
