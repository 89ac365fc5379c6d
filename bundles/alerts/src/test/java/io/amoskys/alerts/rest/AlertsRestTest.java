package io.amoskys.alerts.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.alerts.internal.DerbyAlertStore;
import io.amoskys.alerts.internal.StoreSettings;
import io.amoskys.api.alert.Admission;
import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Score;
import io.amoskys.api.event.Severity;
import io.amoskys.http.auth.HttpBasicGate;
import io.amoskys.http.auth.JaasLogin;
import io.amoskys.http.auth.LoginThrottle;
import io.amoskys.http.auth.RealmForTests;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alerts and suppressions REST API against a real store, with the real login gate and a test realm. */
class AlertsRestTest {
    private static final String ALERTS = "/amoskys/api/v1/alerts";
    private static final String SUPPRESSIONS = "/amoskys/api/v1/suppressions";
    private static final String JSON = "application/json";

    @TempDir
    Path dir;

    private DerbyAlertStore store;
    private AlertsServlet alerts;
    private SuppressionsServlet suppressions;
    private String scan;
    private String flood;

    @BeforeAll
    static void realm() {
        RealmForTests.install();
    }

    @BeforeEach
    void start() throws Exception {
        store = new DerbyAlertStore(dir.resolve("alerts"), StoreSettings.defaults(), Clock.systemUTC());
        HttpBasicGate gate = new HttpBasicGate(new JaasLogin(JaasLogin.KARAF_REALM), new LoginThrottle(50, 300, 60, 900, 100, System::nanoTime));
        alerts = new AlertsServlet(store, gate);
        suppressions = new SuppressionsServlet(store, gate);
        long t = System.currentTimeMillis() * 1_000_000L;
        Score score = Score.builder().detector("gbt").modelVersion("2").entityId("10.0.0.5").timestampNanos(t).value(0.97)
                .eventIds(List.of("flow:7")).build();
        scan = admit(Alert.builder().id("a-scan").rule("portscan").entityId("10.0.0.5").timestampNanos(t).severity(Severity.HIGH)
                .title("port scan from 10.0.0.5").scores(List.of(score)).tags(List.of("attack.t1046")).build());
        flood = admit(Alert.builder().id("a-flood").rule("synflood").entityId("10.0.0.9").timestampNanos(t).severity(Severity.LOW)
                .title("SYN flood").build());
    }

    private String admit(Alert alert) {
        Admission a = store.admit(alert);
        assertEquals(Admission.Outcome.NEW, a.outcome());
        return a.alertId();
    }

    @AfterEach
    void stop() {
        store.close();
    }

    private static Http.Answer call(RestResource servlet, String base, String method, String path, String user,
                                    Map<String, String> parameters, String contentType, String body) throws Exception {
        Http.Answer answer = new Http.Answer();
        // The public entry a servlet container calls; it hands over to JsonResource's own service.
        javax.servlet.ServletRequest request = Http.request(method, base, path, user, parameters, contentType, body);
        javax.servlet.ServletResponse response = Http.response(answer);
        servlet.service(request, response);
        return answer;
    }

    private Http.Answer get(String path, String user, Map<String, String> parameters) throws Exception {
        return call(alerts, ALERTS, "GET", path, user, parameters, null, null);
    }

    private Http.Answer post(String path, String user, String body) throws Exception {
        return call(alerts, ALERTS, "POST", path, user, Map.of(), JSON, body);
    }

    private static String error(Http.Answer a) throws Exception {
        return ((JsonObject) a.json()).getString("error");
    }

    @Test
    void viewersReadTheListOneAlertAndTheCount() throws Exception {
        Http.Answer list = get(null, "vera", Map.of());
        assertEquals(200, list.status, list.toString());
        JsonObject page = list.json();
        assertEquals(new BigDecimal(2), page.get("total"));
        JsonArray items = (JsonArray) page.get("alerts");
        assertEquals(List.of(flood, scan), items.stream().map(o -> ((JsonObject) o).getString("id")).toList());
        assertTrue(!((JsonObject) items.get(0)).containsKey("eventIds"), "lists carry no evidence");

        JsonObject high = get("/", "vera", Map.of("severity", "high")).json();
        assertEquals(new BigDecimal(1), high.get("total"));
        JsonObject tagged = get(null, "vera", Map.of("tag", "attack.t1046", "since", "1h", "limit", "5")).json();
        assertEquals(new BigDecimal(1), tagged.get("total"));
        assertEquals(new BigDecimal(5), tagged.get("limit"));

        Http.Answer one = get("/" + scan, "vera", Map.of());
        assertEquals(200, one.status, one.toString());
        JsonObject a = one.json();
        assertEquals("portscan", a.getString("rule"));
        assertEquals("HIGH", a.getString("severity"));
        assertEquals("new", a.getString("state"));
        assertEquals(List.of("flow:7"), a.get("eventIds"));
        assertEquals("gbt", ((JsonObject) ((JsonArray) a.get("scores")).get(0)).getString("detector"));
        assertEquals(List.of(), a.get("history"));

        Http.Answer count = get("/count", "vera", Map.of("state", "new,acknowledged"));
        assertEquals(new BigDecimal(2), ((JsonObject) count.json()).get("count"));
    }

    @Test
    void badRequestsUnknownAlertsAndMethods() throws Exception {
        Http.Answer severity = get(null, "vera", Map.of("severity", "urgent"));
        assertEquals(400, severity.status);
        assertTrue(error(severity).contains("unknown severity 'urgent'"), severity.toString());
        assertEquals(400, get(null, "vera", Map.of("limit", "lots")).status);
        assertEquals(400, get(null, "vera", Map.of("limit", "0")).status);
        assertEquals(400, get(null, "vera", Map.of("since", "yesterday-ish")).status);
        Http.Answer ages = get(null, "vera", Map.of("since", "999999999999d"));
        assertEquals(400, ages.status, "milliseconds past a long's range are refused, not a server error");
        assertTrue(error(ages).contains("999999999999d"), ages.toString());

        Http.Answer unknown = get("/nope", "vera", Map.of());
        assertEquals(404, unknown.status);
        assertEquals("no alert nope (GET /amoskys/api/v1/alerts lists them)", error(unknown));
        assertEquals(404, get("/" + scan + "/frobnicate", "vera", Map.of()).status);

        Http.Answer delete = call(alerts, ALERTS, "DELETE", "/" + scan, "ada", Map.of(), null, null);
        assertEquals(405, delete.status);
        assertEquals("GET", delete.headers.get("Allow"));
        Http.Answer getAck = get("/" + scan + "/ack", "ada", Map.of());
        assertEquals(405, getAck.status);
        assertEquals("POST", getAck.headers.get("Allow"));
    }

    @Test
    void onlyOperatorsAndAdminsChangeAlerts() throws Exception {
        Http.Answer nobody = post("/" + scan + "/ack", null, "{}");
        assertEquals(401, nobody.status);
        assertTrue(nobody.headers.containsKey("WWW-Authenticate"));
        assertEquals(403, post("/" + scan + "/ack", "eve", "{}").status, "no role at all");
        Http.Answer viewer = post("/" + scan + "/ack", "vera", "{}");
        assertEquals(403, viewer.status);
        assertTrue(error(viewer).contains("needs a user in one of the roles admin, operator; vera may only read"), viewer.toString());
        assertEquals("new", store.get(scan).orElseThrow().state);

        Http.Answer form = call(alerts, ALERTS, "POST", "/" + scan + "/ack", "otto", Map.of(), "application/x-www-form-urlencoded", "");
        assertEquals(400, form.status, "changes must come as JSON");

        Http.Answer acked = post("/" + scan + "/ack", "otto", "{\"comment\": \"looking into it\"}");
        assertEquals(200, acked.status, acked.toString());
        JsonObject a = acked.json();
        assertEquals("acknowledged", a.getString("state"));
        JsonObject h = (JsonObject) ((JsonArray) a.get("history")).get(0);
        assertEquals("otto", h.getString("user"));
        assertEquals("looking into it", h.getString("comment"));

        Http.Answer again = post("/" + scan + "/ack", "otto", "");
        assertEquals(409, again.status);
        assertEquals("alert a-scan is acknowledged already", error(again));

        assertEquals(200, post("/" + scan + "/resolve", "ada", null).status);
        Http.Answer closed = post("/" + scan + "/false-positive", "ada", "{}");
        assertEquals(409, closed.status);
        assertEquals(404, post("/nope/ack", "ada", "{}").status);
        assertEquals(400, post("/" + flood + "/ack", "ada", "{\"suppress\": true}").status);
        assertEquals(400, post("/" + flood + "/ack", "ada", "[1]").status);
        assertEquals(400, post("/" + flood + "/ack", "ada", "{\"comment\": 5}").status);
    }

    @Test
    void falsePositiveWithSuppressionAndTheSuppressionsApi() throws Exception {
        Http.Answer fp = post("/" + flood + "/false-positive", "otto",
                "{\"comment\": \"load test\", \"suppress\": true, \"expires\": \"7d\"}");
        assertEquals(200, fp.status, fp.toString());
        JsonObject a = fp.json();
        assertEquals("false_positive", a.getString("state"));
        String sid = ((JsonObject) ((JsonArray) a.get("history")).get(0)).getString("suppressionId");

        Http.Answer list = call(suppressions, SUPPRESSIONS, "GET", null, "vera", Map.of(), null, null);
        assertEquals(200, list.status);
        JsonObject s = (JsonObject) ((JsonArray) ((JsonObject) list.json()).get("suppressions")).get(0);
        assertEquals(sid, s.getString("id"));
        assertEquals("synflood", s.getString("rule"));
        assertEquals("10.0.0.9", s.getString("entity"));
        assertEquals(flood, s.getString("alertId"));
        assertEquals("active", s.getString("state"));
        assertEquals(Admission.Outcome.SUPPRESSED, store.admit(Alert.builder().id("again").rule("synflood").entityId("10.0.0.9")
                .title("SYN flood").build()).outcome());

        assertEquals(403, call(suppressions, SUPPRESSIONS, "POST", null, "vera", Map.of(), JSON, "{\"entity\": \"x\"}").status);
        Http.Answer made = call(suppressions, SUPPRESSIONS, "POST", "/", "ada", Map.of(), JSON,
                "{\"rule\": \"portscan\", \"entity\": \"10.0.0.*\", \"reason\": \"scanner subnet\", \"expires\": \"1h\"}");
        assertEquals(201, made.status, made.toString());
        JsonObject m = made.json();
        assertEquals("ada", m.getString("createdBy"));
        assertEquals("scanner subnet", m.getString("reason"));
        assertTrue(((BigDecimal) m.get("expiresMillis")).longValue() > System.currentTimeMillis());
        String id = m.getString("id");
        assertEquals(400, call(suppressions, SUPPRESSIONS, "POST", null, "ada", Map.of(), JSON, "{\"rule\": \"x\"}").status);
        for (String endless : List.of("999999999999d", "9223372036854775s", "2635249153387078803w")) {
            Http.Answer refused = call(suppressions, SUPPRESSIONS, "POST", null, "ada", Map.of(), JSON,
                    "{\"entity\": \"10.9.9.9\", \"expires\": \"" + endless + "\"}");
            assertEquals(400, refused.status, "an expiry past the clock's range would never apply, or fail: " + refused);
        }
        assertEquals(200, call(suppressions, SUPPRESSIONS, "GET", "/" + id, "vera", Map.of(), null, null).status);

        assertEquals(403, call(suppressions, SUPPRESSIONS, "DELETE", "/" + id, "vera", Map.of(), null, null).status);
        Http.Answer removed = call(suppressions, SUPPRESSIONS, "DELETE", "/" + id, "otto", Map.of(), null, null);
        assertEquals(200, removed.status, removed.toString());
        assertEquals("removed", ((JsonObject) removed.json()).getString("state"));
        assertEquals(409, call(suppressions, SUPPRESSIONS, "DELETE", "/" + id, "otto", Map.of(), null, null).status);
        assertEquals(404, call(suppressions, SUPPRESSIONS, "DELETE", "/s-nope", "otto", Map.of(), null, null).status);
        assertEquals(404, call(suppressions, SUPPRESSIONS, "GET", "/s-nope", "otto", Map.of(), null, null).status);

        JsonObject all = call(suppressions, SUPPRESSIONS, "GET", null, "vera", Map.of("all", "true"), null, null).json();
        assertEquals(2, ((JsonArray) all.get("suppressions")).size());
        JsonObject active = call(suppressions, SUPPRESSIONS, "GET", null, "vera", Map.of(), null, null).json();
        assertEquals(1, ((JsonArray) active.get("suppressions")).size());
        Http.Answer put = call(suppressions, SUPPRESSIONS, "PUT", null, "ada", Map.of(), JSON, "{}");
        assertEquals(405, put.status);
        assertEquals("GET, POST", put.headers.get("Allow"));
    }
}
