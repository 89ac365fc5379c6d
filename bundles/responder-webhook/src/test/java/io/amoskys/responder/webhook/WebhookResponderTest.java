package io.amoskys.responder.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Score;
import io.amoskys.api.event.Severity;
import io.amoskys.api.response.Action;
import io.amoskys.api.response.ActionOutcome;
import io.amoskys.api.response.ActionOutcome.Status;
import io.amoskys.api.response.ActionRequest;
import io.amoskys.api.response.Target;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook against a real HTTP server started here. */
class WebhookResponderTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private Receiver receiver;

    @BeforeEach
    void start() throws Exception {
        receiver = new Receiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private WebhookResponder webhook(Map<String, Object> config) {
        Map<String, Object> properties = new HashMap<>(config);
        properties.putIfAbsent("url", receiver.url("/hook?token=t0ps3cret"));
        return new WebhookResponder(Configs.webhook(properties), CLOCK);
    }

    private static Alert alert() {
        Score score = Score.builder().detector("zscore").modelVersion("v1").entityId("host:10.9.0.2")
                .timestampNanos(1_700_000_000_123_000_000L).value(0.875).eventIds(List.of("agent:7")).build();
        return Alert.builder().id("alert-1").rule("scan").entityId("host:10.9.0.2").severity(Severity.HIGH)
                .title("Port scan \"fast\" from 10.9.0.2").timestampNanos(1_700_000_000_123_000_000L)
                .scores(List.of(score)).tags(List.of("attack.t1046", "attack.discovery"))
                .eventIds(List.of("agent:7", "agent:8")).groupBy(Map.of("src", "10.9.0.2")).build();
    }

    private static Action action(String id, ActionRequest request, int attempt) {
        return new Action(id, "webhook", "alert-1", "scan", "host:10.9.0.2", request, attempt);
    }

    private static String hmac(String secret, String signed) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void postsTheAlertAsSignedJson() throws Exception {
        Path secretFile = Files.writeString(dir.resolve("secret"), "s3cret-key\n");
        WebhookResponder webhook = webhook(Map.of("secretFile", secretFile.toString()));
        assertEquals(List.of(), webhook.configurationProblems());

        ActionRequest request = webhook.plan(alert()).get(0);
        String recipient = WebhookSettings.recipient(java.net.URI.create(receiver.url("/hook")));
        assertEquals(false, recipient.contains("hook"), "the path (it may hold a token) stays out of receipts: " + recipient);
        assertEquals("notify", request.verb());
        assertEquals(Target.recipient(recipient), request.target(), "no path or query (they may hold a token) in the target");
        assertEquals("POST alert alert-1 to " + recipient, request.description());
        assertNull(request.lasts());

        ActionOutcome outcome = webhook.execute(action("act-1", request, 1));
        assertEquals(Status.SUCCEEDED, outcome.status(), outcome.output());
        assertEquals("POST " + recipient + " (signed): HTTP 200\nanswer: answer 200", outcome.output());

        Receiver.Request got = receiver.next();
        assertEquals("POST", got.method());
        assertEquals("/hook?token=t0ps3cret", got.pathAndQuery());
        assertEquals("application/json", got.headers().get("Content-Type"));
        assertEquals("act-1", got.headers().get("X-Amoskys-Action-Id"));
        assertEquals("1772366400", got.headers().get("X-Amoskys-Timestamp"));
        assertEquals(hmac("s3cret-key", "1772366400." + got.body()), got.headers().get("X-Amoskys-Signature"));

        JsonObject json = (JsonObject) Jsoner.deserialize(got.body());
        assertEquals("alert-1", json.getString("id"));
        assertEquals("scan", json.getString("rule"));
        assertEquals("host:10.9.0.2", json.getString("entity"));
        assertEquals("HIGH", json.getString("severity"));
        assertEquals("Port scan \"fast\" from 10.9.0.2", json.getString("title"));
        assertEquals(List.of("attack.t1046", "attack.discovery"), json.get("tags"));
        assertEquals("2023-11-14T22:13:20.123Z", json.getString("time"));
        assertEquals(List.of("agent:7", "agent:8"), json.get("eventIds"));
        JsonObject score = (JsonObject) ((JsonArray) json.get("scores")).get(0);
        assertEquals("zscore", score.getString("detector"));
        assertEquals(0.875, score.getDouble("value"));
        assertEquals("10.9.0.2", ((JsonObject) json.get("groupBy")).getString("src"));
    }

    @Test
    void aReceiverThatIsDownIsRetriedWithTheSameIdAndBody() throws Exception {
        WebhookResponder webhook = webhook(Map.of(".secret", "k"));
        ActionRequest request = webhook.plan(alert()).get(0);
        receiver.answers.add(503);
        ActionOutcome first = webhook.execute(action("act-2", request, 1));
        assertEquals(Status.RETRY, first.status(), first.output());
        assertTrue(first.output().contains("HTTP 503"), first.output());
        ActionOutcome second = webhook.execute(action("act-2", request, 2));
        assertEquals(Status.SUCCEEDED, second.status(), second.output());

        Receiver.Request a = receiver.next();
        Receiver.Request b = receiver.next();
        assertEquals("act-2", a.headers().get("X-Amoskys-Action-Id"));
        assertEquals("act-2", b.headers().get("X-Amoskys-Action-Id"), "the idempotency key stays across retries");
        assertEquals(a.body(), b.body());
    }

    @Test
    void mapsAnswersToRetryOrFailure() throws Exception {
        WebhookResponder webhook = webhook(Map.of());
        ActionRequest request = webhook.plan(alert()).get(0);
        for (int status : new int[] {400, 401, 404, 302}) {
            receiver.answers.add(status);
            ActionOutcome outcome = webhook.execute(action("act-" + status, request, 1));
            assertEquals(Status.FAILED, outcome.status(), status + ": " + outcome.output());
            assertTrue(outcome.output().contains("HTTP " + status), outcome.output());
        }
        for (int status : new int[] {408, 429, 500, 502}) {
            receiver.answers.add(status);
            ActionOutcome outcome = webhook.execute(action("act-" + status, request, 1));
            assertEquals(Status.RETRY, outcome.status(), status + ": " + outcome.output());
        }
        receiver.answers.add(429);
        assertTrue(webhook.execute(action("act-429b", request, 1)).output().endsWith("(Retry-After: 7)"));
        assertEquals(9, receiver.requests.size(), "the 302 was not followed");
    }

    @Test
    void aReceiverThatNeverAnswersIsRetried() throws Exception {
        WebhookResponder webhook = webhook(Map.of("requestTimeoutSeconds", 1));
        receiver.answers.add(0);
        ActionOutcome outcome = webhook.execute(action("act-slow", webhook.plan(alert()).get(0), 1));
        assertEquals(Status.RETRY, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("timed out"), outcome.output());
    }

    @Test
    void aRefusedConnectionIsRetried() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        WebhookResponder webhook = webhook(Map.of("url", "http://127.0.0.1:" + closedPort + "/hook"));
        ActionOutcome outcome = webhook.execute(action("act-refused", webhook.plan(alert()).get(0), 1));
        assertEquals(Status.RETRY, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("ConnectException"), outcome.output());
    }

    @Test
    void unsignedWithoutASecretAndWithExtraHeaders() throws Exception {
        WebhookResponder webhook = webhook(Map.of(".headers", new String[] {"Authorization: Bearer abc", "X-Team: soc"}));
        webhook.execute(action("act-3", webhook.plan(alert()).get(0), 1));
        Receiver.Request got = receiver.next();
        assertFalse(got.headers().containsKey("X-Amoskys-Signature"));
        assertEquals("Bearer abc", got.headers().get("Authorization"));
        assertEquals("soc", got.headers().get("X-Team"));
    }

    @Test
    void rendersATemplateWithJsonEscapedValues() throws Exception {
        String template = "{\"text\": \"{{alert.severity}}: {{ alert.title }} on {{alert.entity}}\", "
                + "\"tags\": \"{{alert.tags}}\", \"src\": \"{{alert.groupBy.src}}\", \"none\": \"{{alert.groupBy.x}}\", "
                + "\"at\": \"{{alert.time}}\", \"alert\": {{alert.json}}}";
        WebhookResponder webhook = webhook(Map.of("template", template));
        assertEquals(List.of(), webhook.configurationProblems());
        String body = webhook.plan(alert()).get(0).parameters().get("body");
        JsonObject json = (JsonObject) Jsoner.deserialize(body);
        assertEquals("HIGH: Port scan \"fast\" from 10.9.0.2 on host:10.9.0.2", json.getString("text"));
        assertEquals("attack.t1046,attack.discovery", json.getString("tags"));
        assertEquals("10.9.0.2", json.getString("src"));
        assertEquals("", json.getString("none"));
        assertEquals("2023-11-14T22:13:20.123Z", json.getString("at"));
        assertEquals("alert-1", ((JsonObject) json.get("alert")).getString("id"));

        WebhookResponder text = webhook(Map.of("template", "{{alert.title}} ({{alert.id}})", "contentType", "text/plain"));
        assertEquals("Port scan \"fast\" from 10.9.0.2 (alert-1)", text.plan(alert()).get(0).parameters().get("body"));
        text.execute(action("act-4", text.plan(alert()).get(0), 1));
        assertEquals("text/plain", receiver.next().headers().get("Content-Type"));

        // A form body: an entity named x&channel=ops by the watched network must not add a field.
        WebhookResponder form = webhook(Map.of("template", "text={{alert.entity}}&channel=soc",
                "contentType", "application/x-www-form-urlencoded"));
        Alert forged = Alert.builder().id("alert-2").rule("r").entityId("x&channel=ops").title("t").build();
        assertEquals("text=x%26channel%3Dops&channel=soc", form.plan(forged).get(0).parameters().get("body"));
    }

    @Test
    void refusesBodiesOver64KiB() {
        WebhookResponder webhook = webhook(Map.of());
        Alert huge = Alert.builder().id("big").rule("r").entityId("e").title("x".repeat(70_000)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> webhook.plan(huge));
        assertTrue(e.getMessage().contains("more than the 65536"), e.getMessage());
    }

    @Test
    void namesEachConfigurationProblem() {
        assertProblem(Map.of("url", ""), "url is missing");
        assertProblem(Map.of("url", "ftp://example.org/x"), "is neither http nor https");
        assertProblem(Map.of("url", "http:///nohost"), "names no host");
        assertProblem(Map.of("url", "http://exa mple.org/"), "url is malformed");
        assertProblem(Map.of("url", "https://user:pw@example.org/"), "carries credentials");
        assertProblem(Map.of("template", "{\"a\": \"{{alert.nope}}\"}"), "unknown placeholder {{alert.nope}}");
        assertProblem(Map.of("template", "{\"a\": \"{{alert.id\"}"), "unbalanced braces, the '{{' at offset 7");
        assertProblem(Map.of("template", "{{alert.id {{alert.rule}}"), "unbalanced braces");
        assertProblem(Map.of("secretFile", dir.resolve("absent").toString()), "cannot be read");
        assertProblem(Map.of("secretFile", "/etc/hostname", ".secret", "x"), "both secretFile and .secret");
        assertProblem(Map.of(".headers", new String[] {"no colon here"}), "header 1 of .headers is not 'Name: value'");
        assertProblem(Map.of(".headers", new String[] {"Content-Type: text/plain"}), "set by the responder itself");
        assertProblem(Map.of("connectTimeoutSeconds", 0), "connectTimeoutSeconds must be positive");
        assertProblem(Map.of("amoskys.plugin.name", " "), "amoskys.plugin.name is empty");
    }

    private void assertProblem(Map<String, Object> config, String expected) {
        WebhookResponder webhook = webhook(config);
        List<String> problems = webhook.configurationProblems();
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), "expected '" + expected + "' in " + problems);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> webhook.plan(alert()));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
