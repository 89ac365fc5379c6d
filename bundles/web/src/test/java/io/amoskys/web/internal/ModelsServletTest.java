package io.amoskys.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.Detector;
import io.amoskys.http.auth.BrowserSessions;
import io.amoskys.http.auth.HttpBasicGate;
import io.amoskys.http.auth.JaasLogin;
import io.amoskys.http.auth.LoginThrottle;
import io.amoskys.http.auth.RealmForTests;
import io.amoskys.model.runtime.admin.ModelAdmin;
import io.amoskys.model.runtime.admin.ModelStatus;
import io.amoskys.model.runtime.admin.ScoreDistribution;
import io.amoskys.model.runtime.admin.ShadowReport;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The models API with the real login gate and a test realm: distributions, promote and rollback, roles, CSRF, bad input. */
class ModelsServletTest {
    private static final String BASE = "/amoskys/api/v1/models";

    /** Two versions of gbt, 1.0.0 active and 1.1.0 in shadow, and a refused duplicate of 1.0.0; switches as the runtime makes them. */
    static final class Models implements ModelAdmin {
        String active = "1.0.0";
        String previous;
        final List<String> calls = new ArrayList<>();
        /** What the runtime throws, if anything, as a bug or a failing part would. */
        RuntimeException failure;

        @Override
        public List<ModelStatus> models() {
            if (failure != null) {
                throw failure;
            }
            return List.of(status("1.1.0"), status("1.0.0"),
                    new ModelStatus("gbt", "1.0.0", "refused", "duplicate-version", "another bundle serves it", Double.NaN, 0, 0, 0, 9));
        }

        private ModelStatus status(String version) {
            String state = version.equals(active) ? "active" : version.equals(previous) ? "standby" : "shadow";
            return new ModelStatus("gbt", version, state, null, "", 0.5, 4, 0, 12.5, 7);
        }

        @Override
        public String promote(String name, String version) {
            calls.add("promote " + name + " " + version);
            known(name);
            String target = version == null ? "1.1.0" : version;
            if (!List.of("1.0.0", "1.1.0").contains(target)) {
                throw new IllegalArgumentException("model gbt has no version " + target + " loaded (see amoskys:models)");
            }
            previous = active;
            active = target;
            return "model gbt: promoted " + target + "; " + previous + " is on standby";
        }

        @Override
        public String rollback(String name) {
            calls.add("rollback " + name);
            known(name);
            if (previous == null) {
                throw new IllegalArgumentException("model gbt has no previous version loaded to roll back to");
            }
            String was = active;
            active = previous;
            previous = was;
            return "model gbt: rolled back to " + active;
        }

        private static void known(String name) {
            if (!name.equals("gbt")) {
                throw new IllegalArgumentException("no model named '" + name + "' is loaded (see amoskys:models)");
            }
        }

        @Override
        public List<ShadowReport> compare(String name) {
            return List.of();
        }

        @Override
        public Optional<Detector> everyWindow(String name) {
            return Optional.empty();
        }

        @Override
        public List<ScoreDistribution> scoreDistributions() {
            return List.of(new ScoreDistribution("gbt", "1.1.0", List.of(0.5, 1.0), List.of(1L, 3L, 0L)),
                    new ScoreDistribution("gbt", "1.0.0", List.of(0.5, 1.0), List.of(4L, 0L, 0L)));
        }
    }

    private final Models models = new Models();
    private final HttpBasicGate gate = new HttpBasicGate(new JaasLogin(JaasLogin.KARAF_REALM),
            new LoginThrottle(50, 300, 60, 900, 100, System::nanoTime));
    private final ModelsServlet servlet = new ModelsServlet(gate, models);

    @BeforeAll
    static void realm() {
        RealmForTests.install();
    }

    private Http.Answer call(Http.Request request) throws Exception {
        Http.Answer answer = new Http.Answer();
        servlet.service(Http.request(request), Http.response(answer));
        return answer;
    }

    private Http.Answer post(String path, String user, String json) throws Exception {
        return call(Http.Request.of("POST", BASE, path, user).json(json));
    }

    private static JsonObject version(JsonObject reply, String version, String state) {
        return ((JsonArray) reply.get("models")).stream().map(JsonObject.class::cast)
                .filter(m -> m.getString("version").equals(version) && m.getString("state").equals(state)).findFirst().orElseThrow();
    }

    @Test
    void readersSeeEveryVersionWithItsScoreDistribution() throws Exception {
        Http.Answer list = call(Http.Request.of("GET", BASE, null, "vera"));
        assertEquals(200, list.status, list.toString());
        JsonObject scores = (JsonObject) version(list.json(), "1.1.0", "shadow").get("scores");
        assertEquals(List.of(new BigDecimal("0.5"), new BigDecimal("1.0")), scores.get("upperBounds"));
        assertEquals(List.of(new BigDecimal(1), new BigDecimal(3), new BigDecimal(0)), scores.get("counts"));
        assertNull(version(list.json(), "1.0.0", "refused").get("scores"), "a refused duplicate has no scores of its own");
        assertEquals(401, call(Http.Request.of("GET", BASE, null, null)).status);
        assertEquals(403, call(Http.Request.of("GET", BASE, null, "eve")).status, "a user with no platform role");
    }

    @Test
    void anUnexpectedFailureIsAnIncidentNotJettysErrorPage() throws Exception {
        models.failure = new IllegalStateException("Derby: cannot open /var/lib/amoskys/secret/models.db");
        Http.Answer failed = call(Http.Request.of("GET", BASE, null, "vera"));
        assertEquals(500, failed.status, failed.toString());
        String error = failed.json().getString("error");
        assertTrue(error.matches("the platform could not answer /amoskys/api/v1/models; the log has the cause under incident [0-9a-f]+"),
                error);
        assertTrue(!failed.toString().contains("Derby") && !failed.toString().contains("secret"), "no internals: " + failed);
    }

    @Test
    void anOperatorPromotesAndRollsBack() throws Exception {
        Http.Answer promoted = post("/gbt/promote", "otto", "{\"version\":\"1.1.0\"}");
        assertEquals(200, promoted.status, promoted.toString());
        assertEquals("model gbt: promoted 1.1.0; 1.0.0 is on standby", promoted.json().getString("message"));
        version(promoted.json(), "1.1.0", "active");
        version(promoted.json(), "1.0.0", "standby");

        Http.Answer rolledBack = post("/gbt/rollback", "ada", "");
        assertEquals(200, rolledBack.status, rolledBack.toString());
        assertEquals("model gbt: rolled back to 1.0.0", rolledBack.json().getString("message"));
        assertEquals(List.of("promote gbt 1.1.0", "rollback gbt"), models.calls);
        assertEquals(200, post("/gbt/promote", "otto", "{}").status, "no version: the newest shadow");
        assertEquals("promote gbt null", models.calls.get(2));
    }

    @Test
    void aViewerMayNotChangeModelsAndOthersNeedCredentials() throws Exception {
        Http.Answer viewer = post("/gbt/promote", "vera", "{\"version\":\"1.1.0\"}");
        assertEquals(403, viewer.status, viewer.toString());
        assertTrue(viewer.error().contains("needs a user in one of the roles admin, operator; vera is not"), viewer.toString());
        assertEquals(401, post("/gbt/rollback", null, "{}").status);
        assertEquals(List.of(), models.calls, "nothing reached the runtime");
    }

    @Test
    void aBrowserSessionChangesOnlyWithItsCsrfToken() throws Exception {
        BrowserSessions.Session session = gate.sessions().open(new JaasLogin(JaasLogin.KARAF_REALM).authenticate("otto", "secret".toCharArray()).orElseThrow());
        Http.Answer forged = call(Http.Request.of("POST", BASE, "/gbt/promote", null).json("{}").session(session.id(), null));
        assertEquals(403, forged.status, forged.toString());
        assertTrue(forged.error().contains("CSRF"), forged.toString());
        Http.Answer done = call(Http.Request.of("POST", BASE, "/gbt/promote", null).json("{}").session(session.id(), session.csrfToken()));
        assertEquals(200, done.status, done.toString());
        assertEquals(List.of("promote gbt null"), models.calls);
    }

    @Test
    void unknownModelsAndVersionsAndBadRequestsAreClearErrors() throws Exception {
        Http.Answer unknownModel = post("/nope/promote", "otto", "{\"version\":\"1.0.0\"}");
        assertEquals(400, unknownModel.status);
        assertEquals("no model named 'nope' is loaded (see amoskys:models)", unknownModel.error());
        Http.Answer unknownVersion = post("/gbt/promote", "otto", "{\"version\":\"9.9.9\"}");
        assertEquals(400, unknownVersion.status);
        assertEquals("model gbt has no version 9.9.9 loaded (see amoskys:models)", unknownVersion.error());
        Http.Answer nothingBefore = post("/gbt/rollback", "otto", "{}");
        assertEquals(400, nothingBefore.status);
        assertEquals("model gbt has no previous version loaded to roll back to", nothingBefore.error());

        assertEquals(400, post("/gbt/promote", "otto", "{\"version\":1}").status, "a version is a string");
        assertEquals(400, post("/gbt/promote", "otto", "[]").status, "a JSON object");
        assertEquals(400, post("/gbt/promote", "otto", "{not json").status);
        Http.Answer form = call(Http.Request.of("POST", BASE, "/gbt/promote", "otto").body("application/x-www-form-urlencoded", "version=1.1.0"));
        assertEquals(400, form.status, "a form another site could post is refused");
        assertTrue(form.error().contains("application/json"), form.toString());
        assertEquals(3, models.calls.size(), "only well-formed requests reached the runtime: " + models.calls);

        Http.Answer get = call(Http.Request.of("GET", BASE, "/gbt/promote", "vera"));
        assertEquals(405, get.status);
        assertEquals("POST", get.headers.get("Allow"));
        Http.Answer postList = call(Http.Request.of("POST", BASE, null, "otto").json("{}"));
        assertEquals(405, postList.status);
        assertEquals("GET", postList.headers.get("Allow"));
        assertEquals(404, call(Http.Request.of("GET", BASE, "/gbt/frobnicate", "vera")).status);
        assertEquals(404, call(Http.Request.of("GET", BASE, "/gbt", "vera")).status);
    }
}
