package io.amoskys.response.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.http.auth.BrowserSessions;
import io.amoskys.http.auth.HttpBasicGate;
import io.amoskys.http.auth.JaasLogin;
import io.amoskys.http.auth.LoginThrottle;
import io.amoskys.http.auth.RealmForTests;
import io.amoskys.response.admin.ActionState;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The responses' REST API with the real login gate and a test realm (vera: viewer, otto: operator,
 * ada: admin, eve: no role) in front of an admin that answers as the guardrails do.
 */
class ResponseRestTest {
    private static final String ACTIONS = "/amoskys/api/v1/actions";
    private static final String RESPONDERS = "/amoskys/api/v1/responders";
    private static final String BREAKER = "/amoskys/api/v1/breaker";
    private static final String WAITING = "0f1e2d3c-aaaa-4000-8000-000000000001";
    private static final String ACTIVE = "0f1e2d3c-bbbb-4000-8000-000000000002";
    private static final String DRY = "7a7a7a7a-cccc-4000-8000-000000000003";

    private FakeResponseAdmin admin;
    private HttpBasicGate gate;
    private ActionsServlet actions;
    private RespondersServlet responders;
    private BreakerServlet breaker;

    @BeforeAll
    static void realm() {
        RealmForTests.install();
    }

    @BeforeEach
    void start() {
        admin = new FakeResponseAdmin();
        admin.add(DRY, "nftables", ActionState.DRY_RUN, 1000);
        admin.add(ACTIVE, "nftables", ActionState.ACTIVE, 2000);
        admin.add(WAITING, "webhook-soc", ActionState.AWAITING_APPROVAL, 3000);
        admin.responder("nftables", true, List.of());
        admin.responder("webhook-soc", true, List.of("url: malformed URL 'htp:/x'"));
        admin.responder("gone", false, List.of());
        gate = new HttpBasicGate(new JaasLogin(JaasLogin.KARAF_REALM), new LoginThrottle(50, 300, 60, 900, 100, System::nanoTime));
        actions = new ActionsServlet(admin, gate);
        responders = new RespondersServlet(admin, gate);
        breaker = new BreakerServlet(admin, gate);
    }

    private static Http.Answer call(ResponseResource servlet, Http.Request request) throws Exception {
        Http.Answer answer = new Http.Answer();
        servlet.service(Http.request(request), Http.response(answer));
        return answer;
    }

    private Http.Answer get(String path, String user, Map<String, String> parameters) throws Exception {
        return call(actions, Http.Request.of("GET", ACTIONS, path, user).parameters(parameters));
    }

    private Http.Answer post(ResponseResource servlet, String base, String path, String user, String body) throws Exception {
        return call(servlet, Http.Request.of("POST", base, path, user).json(body));
    }

    private static List<String> ids(JsonArray items) {
        return items.stream().map(o -> ((JsonObject) o).getString("id")).toList();
    }

    @Test
    void viewersListActionsNewestFirstFilteredByState() throws Exception {
        Http.Answer all = get(null, "vera", Map.of());
        assertEquals(200, all.status, all.toString());
        assertEquals(List.of(WAITING, ACTIVE, DRY), ids(all.array("actions")));
        assertEquals(new BigDecimal(ActionsServlet.DEFAULT_LIMIT), all.json().get("limit"));
        JsonObject first = (JsonObject) all.array("actions").get(0);
        assertEquals("awaiting_approval", first.getString("state"));
        assertEquals("webhook-soc", first.getString("responder"));
        assertEquals("block", first.getString("verb"));
        assertEquals("address:10.0.0.66", first.getString("target"));
        assertEquals("alert-" + WAITING, first.getString("alertId"));
        assertEquals(new BigDecimal(3000), first.get("createdMillis"));
        assertEquals(Map.of("set", "amoskys_block"), first.get("parameters"));
        assertFalse(first.containsKey("receipts"), "a list carries no receipts");

        Http.Answer some = get("/", "vera", Map.of("state", "dry_run, active", "limit", "1"));
        assertEquals(200, some.status, some.toString());
        assertEquals(List.of(ACTIVE), ids(some.array("actions")));
        assertEquals(List.of("active", "dry_run"), some.array("states").stream().sorted().toList());
        assertEquals(List.of(DRY), ids(get(null, "otto", Map.of("state", "DRY-RUN")).array("actions")));
    }

    @Test
    void oneActionWithItsReceiptsByIdOrPrefix() throws Exception {
        Http.Answer one = get("/" + WAITING, "vera", Map.of());
        assertEquals(200, one.status, one.toString());
        JsonObject a = one.json();
        assertEquals(WAITING, a.getString("id"));
        assertEquals("drop packets from 10.0.0.66 for 600 s", a.getString("description"));
        assertEquals(new BigDecimal(600_000), a.get("lastsMillis"));
        JsonArray receipts = (JsonArray) a.get("receipts");
        assertEquals(1, receipts.size());
        JsonObject r = (JsonObject) receipts.get(0);
        assertEquals("planned", r.getString("kind"));
        assertEquals(WAITING, r.getString("actionId"));
        assertEquals("k-test", r.getString("keyId"));
        assertTrue(r.getString("body").startsWith("{"), r.toString());

        assertEquals(DRY, get("/7a7a", "vera", Map.of()).json().getString("id"), "a unique prefix names an action");
        Http.Answer ambiguous = get("/0f1e2d3c", "vera", Map.of());
        assertEquals(400, ambiguous.status);
        assertTrue(ambiguous.error().contains("more than one action starts with 0f1e2d3c"), ambiguous.toString());
        Http.Answer unknown = get("/ffff", "vera", Map.of());
        assertEquals(404, unknown.status);
        assertEquals("no action ffff (GET /amoskys/api/v1/actions lists them)", unknown.error());
    }

    @Test
    void theReceiptChainIsVerifiedForViewers() throws Exception {
        Http.Answer v = get("/verify", "vera", Map.of());
        assertEquals(200, v.status, v.toString());
        assertEquals(Boolean.TRUE, v.json().get("intact"));
        assertEquals(new BigDecimal(3), v.json().get("receipts"));
        assertEquals(new BigDecimal(-1), v.json().get("firstBrokenSeq"));
        assertEquals("k-test", v.json().getString("keyId"));
        admin.intact = false;
        JsonObject broken = get("/verify", "vera", Map.of()).json();
        assertEquals(Boolean.FALSE, broken.get("intact"));
        assertEquals(new BigDecimal(2), broken.get("firstBrokenSeq"));
        assertTrue(broken.getString("problem").contains("does not match"));
        assertEquals(405, call(actions, Http.Request.of("POST", ACTIONS, "/verify", "ada").json("{}")).status);
    }

    @Test
    void badInputUnknownPathsAndMethods() throws Exception {
        Http.Answer state = get(null, "vera", Map.of("state", "pending"));
        assertEquals(400, state.status);
        assertTrue(state.error().startsWith("unknown state 'pending': one of awaiting_approval, queued,"), state.toString());
        assertEquals(400, get(null, "vera", Map.of("limit", "lots")).status);
        assertEquals(400, get(null, "vera", Map.of("limit", "0")).status);
        assertEquals(400, get(null, "vera", Map.of("limit", "10001")).status);

        Http.Answer frob = get("/" + WAITING + "/frobnicate", "vera", Map.of());
        assertEquals(404, frob.status);
        assertTrue(frob.error().contains("POST .../ID/approve"), frob.toString());
        assertEquals(404, get("/" + WAITING + "/approve/now", "vera", Map.of()).status);

        Http.Answer getApprove = get("/" + WAITING + "/approve", "vera", Map.of());
        assertEquals(405, getApprove.status, "a POST-only path answers GET with 405, whatever the id");
        assertEquals("POST", getApprove.headers.get("Allow"));
        assertEquals(405, get("/no-such-action/undo", "vera", Map.of()).status);
        Http.Answer delete = call(actions, Http.Request.of("DELETE", ACTIONS, "/" + WAITING, "ada"));
        assertEquals(405, delete.status);
        assertEquals("GET", delete.headers.get("Allow"));
        assertEquals(405, call(actions, Http.Request.of("POST", ACTIONS, null, "ada").json("{}")).status);

        Http.Answer form = call(actions, Http.Request.of("POST", ACTIONS, "/" + WAITING + "/approve", "otto")
                .body("application/x-www-form-urlencoded", ""));
        assertEquals(400, form.status, "decisions must come as JSON");
        assertEquals(400, post(actions, ACTIONS, "/" + WAITING + "/approve", "otto", "[1]").status);
        assertEquals(400, post(actions, ACTIONS, "/" + WAITING + "/approve", "otto", "{nope").status);
        assertEquals(ActionState.AWAITING_APPROVAL, admin.actions.get(WAITING).state);
    }

    @Test
    void operatorsDecideActionsAsThemselves() throws Exception {
        Http.Answer nobody = post(actions, ACTIONS, "/" + WAITING + "/approve", null, "{}");
        assertEquals(401, nobody.status);
        assertTrue(nobody.headers.containsKey("WWW-Authenticate"));
        assertEquals(403, post(actions, ACTIONS, "/" + WAITING + "/approve", "eve", "{}").status, "no role at all");
        assertEquals(403, get(null, "eve", Map.of()).status, "no reading role");
        Http.Answer viewer = post(actions, ACTIONS, "/" + WAITING + "/approve", "vera", "{}");
        assertEquals(403, viewer.status);
        assertEquals("POST /amoskys/api/v1/actions/" + WAITING + "/approve needs a user in one of the roles admin, operator; vera is not",
                viewer.error());
        assertEquals(ActionState.AWAITING_APPROVAL, admin.actions.get(WAITING).state);

        Http.Answer approved = post(actions, ACTIONS, "/" + WAITING.substring(0, 13) + "/approve", "otto", "");
        assertEquals(200, approved.status, approved.toString());
        JsonObject a = approved.json();
        assertEquals(WAITING, a.getString("id"));
        assertEquals("queued", a.getString("state"));
        assertEquals("otto", a.getString("decidedBy"));
        JsonArray receipts = (JsonArray) a.get("receipts");
        JsonObject last = (JsonObject) receipts.get(receipts.size() - 1);
        assertEquals("approved", last.getString("kind"));
        assertTrue(last.getString("body").contains("\"user\":\"otto\""), "the receipt names the user who logged in: " + last);

        Http.Answer again = post(actions, ACTIONS, "/" + WAITING + "/reject", "ada", "{}");
        assertEquals(409, again.status);
        assertEquals("action " + WAITING + " is queued, not awaiting_approval", again.error());
        assertEquals(409, post(actions, ACTIONS, "/" + DRY + "/undo", "otto", null).status, "a dry run has nothing to undo");
        Http.Answer unknown = post(actions, ACTIONS, "/ffff/approve", "otto", "{}");
        assertEquals(404, unknown.status);
        assertEquals("no action ffff", unknown.error());

        Http.Answer undone = post(actions, ACTIONS, "/" + ACTIVE + "/undo", "ada", "{\"comment\": \"ignored\"}");
        assertEquals(200, undone.status, undone.toString());
        assertEquals("undo_queued", undone.json().getString("state"));
        assertEquals("ada", undone.json().getString("decidedBy"));
    }

    @Test
    void aBrowserSessionDecidesOnlyWithItsCsrfToken() throws Exception {
        BrowserSessions.Session session = gate.sessions().open(
                new JaasLogin(JaasLogin.KARAF_REALM).authenticate("otto", "secret".toCharArray()).orElseThrow());
        Http.Answer forged = call(actions, Http.Request.of("POST", ACTIONS, "/" + WAITING + "/reject", null).json("{}").session(session.id(), null));
        assertEquals(403, forged.status);
        assertTrue(forged.error().contains("CSRF"), forged.toString());
        assertEquals(ActionState.AWAITING_APPROVAL, admin.actions.get(WAITING).state);
        Http.Answer read = call(actions, Http.Request.of("GET", ACTIONS, null, null).session(session.id(), null));
        assertEquals(200, read.status, "reading needs no token");
        Http.Answer rejected = call(actions, Http.Request.of("POST", ACTIONS, "/" + WAITING + "/reject", null).json("{}")
                .session(session.id(), session.csrfToken()));
        assertEquals(200, rejected.status, rejected.toString());
        assertEquals("rejected", rejected.json().getString("state"));
        assertEquals("otto", rejected.json().getString("decidedBy"));
    }

    @Test
    void respondersAreListedForViewersAndArmedByAdminsOnly() throws Exception {
        Http.Answer list = call(responders, Http.Request.of("GET", RESPONDERS, null, "vera"));
        assertEquals(200, list.status, list.toString());
        JsonArray items = list.array("responders");
        assertEquals(List.of("nftables", "webhook-soc", "gone"), items.stream().map(o -> ((JsonObject) o).getString("name")).toList());
        JsonObject nft = (JsonObject) items.get(0);
        assertEquals(Boolean.FALSE, nft.get("armed"));
        assertEquals(Boolean.TRUE, nft.get("present"));
        assertNull(nft.get("armedBy"));
        assertEquals(List.of("url: malformed URL 'htp:/x'"), ((JsonObject) items.get(1)).get("problems"));
        assertEquals("gone", call(responders, Http.Request.of("GET", RESPONDERS, "/gone", "vera")).json().getString("name"));
        assertEquals(404, call(responders, Http.Request.of("GET", RESPONDERS, "/nope", "vera")).status);

        for (String user : List.of("vera", "otto")) {
            Http.Answer refused = post(responders, RESPONDERS, "/nftables/arm", user, "{}");
            assertEquals(403, refused.status, user);
            assertTrue(refused.error().endsWith("needs a user in role admin; " + user + " is not"), refused.toString());
        }
        assertFalse(admin.responders.get("nftables").armed);
        Http.Answer armed = post(responders, RESPONDERS, "/nftables/arm", "ada", "{}");
        assertEquals(200, armed.status, armed.toString());
        assertEquals(Boolean.TRUE, armed.json().get("armed"));
        assertEquals("ada", armed.json().getString("armedBy"));
        Http.Answer disarmed = post(responders, RESPONDERS, "/nftables/disarm", "ada", null);
        assertEquals(200, disarmed.status, disarmed.toString());
        assertEquals(Boolean.FALSE, disarmed.json().get("armed"));

        Http.Answer broken = post(responders, RESPONDERS, "/webhook-soc/arm", "ada", "{}");
        assertEquals(400, broken.status);
        assertEquals("responder webhook-soc cannot be armed: url: malformed URL 'htp:/x'", broken.error());
        assertFalse(admin.responders.get("webhook-soc").armed);
        assertEquals(400, post(responders, RESPONDERS, "/gone/arm", "ada", "{}").status, "an uninstalled responder cannot be armed");
        Http.Answer unknown = post(responders, RESPONDERS, "/nope/arm", "ada", "{}");
        assertEquals(404, unknown.status);
        assertEquals("no responder nope (GET /amoskys/api/v1/responders lists them)", unknown.error());

        Http.Answer getArm = call(responders, Http.Request.of("GET", RESPONDERS, "/nftables/arm", "vera"));
        assertEquals(405, getArm.status);
        assertEquals("POST", getArm.headers.get("Allow"));
        assertEquals(404, call(responders, Http.Request.of("POST", RESPONDERS, "/nftables/fire", "ada").json("{}")).status);
        assertEquals(405, call(responders, Http.Request.of("POST", RESPONDERS, null, "ada").json("{}")).status);
    }

    @Test
    void theBreakerIsShownToViewersAndResetByAdmins() throws Exception {
        Http.Answer closed = call(breaker, Http.Request.of("GET", BREAKER, null, "vera"));
        assertEquals(200, closed.status, closed.toString());
        assertEquals(Boolean.FALSE, closed.json().get("open"));
        assertEquals("", closed.json().getString("reason"));
        admin.breaker = "5 failed attempts in a row; closes at 2026-11-26T10:05:00Z";
        JsonObject open = call(breaker, Http.Request.of("GET", BREAKER, "/", "vera")).json();
        assertEquals(Boolean.TRUE, open.get("open"));
        assertTrue(open.getString("reason").startsWith("5 failed attempts"));

        assertEquals(403, call(breaker, Http.Request.of("POST", BREAKER, null, "otto").json("{}")).status);
        assertEquals(400, call(breaker, Http.Request.of("POST", BREAKER, null, "ada").body("text/plain", "reset")).status);
        Http.Answer reset = call(breaker, Http.Request.of("POST", BREAKER, null, "ada").json(""));
        assertEquals(200, reset.status, reset.toString());
        assertEquals(Boolean.FALSE, reset.json().get("open"));
        assertEquals(Boolean.TRUE, reset.json().get("wasOpen"));
        assertEquals(Boolean.FALSE, call(breaker, Http.Request.of("POST", BREAKER, null, "ada").json("{}")).json().get("wasOpen"));
        Http.Answer delete = call(breaker, Http.Request.of("DELETE", BREAKER, null, "ada"));
        assertEquals(405, delete.status);
        assertEquals("GET, POST", delete.headers.get("Allow"));
        assertEquals(404, call(breaker, Http.Request.of("GET", BREAKER, "/reset", "vera")).status);
    }
}
