package io.amoskys.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The event bus inside the real distribution: in-container agents sign and publish through it,
 * the default routes read it by offset, the log verifies, a time range replays, and a kill -9
 * loses nothing that was committed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BusIT {
    private static final String PROCESS_ROUTE = "amoskys:bus/process-pipeline?kinds=process";
    private static final Pattern AGENT_LINE = Pattern.compile(
            "(?m)^agent (\\S+): (\\d+) envelopes, sequences (\\d+)\\.\\.(\\d+), (\\d+) events$");
    private static final Pattern CONSUMER_LINE = Pattern.compile("(?m)^consumer (\\S+): committed (\\d+), lag (\\d+)$");

    private KarafInstance karaf;

    @BeforeAll
    void boot() throws Exception {
        karaf = KarafInstance.unpack("bus");
        karaf.configure("io.amoskys.agent.process", Map.of("intervalMillis", "250"));
        karaf.start();
        karaf.awaitAllActive();
    }

    @AfterAll
    void stop() throws Exception {
        karaf.close();
    }

    record AgentRange(long envelopes, long first, long last, long events) {}

    private Map<String, AgentRange> agents(String busOutput) {
        Map<String, AgentRange> out = new TreeMap<>();
        Matcher m = AGENT_LINE.matcher(busOutput);
        while (m.find()) {
            out.put(m.group(1), new AgentRange(Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                    Long.parseLong(m.group(4)), Long.parseLong(m.group(5))));
        }
        return out;
    }

    private static long committed(String busOutput, String consumer) {
        Matcher m = CONSUMER_LINE.matcher(busOutput);
        while (m.find()) {
            if (m.group(1).equals(consumer)) {
                return Long.parseLong(m.group(2));
            }
        }
        return -1;
    }

    private static String processAgent(Map<String, AgentRange> agents) {
        return agents.keySet().stream().filter(a -> a.startsWith("process@")).findFirst().orElse(null);
    }

    @Test
    @Order(1)
    void localAgentsSignWithEnrolledKeysAndTheRouteReadsTheLog() {
        String bus = Eventually.await("the process agent's envelopes in the log and the route's committed offset",
                Duration.ofSeconds(60), () -> karaf.client("amoskys:bus"),
                out -> processAgent(agents(out)) != null && committed(out, "process-pipeline") > 0);
        String agent = processAgent(agents(bus));
        String keys = karaf.client("amoskys:keys list");
        assertTrue(Pattern.compile("(?m)^[0-9a-f]{16}\\s+" + Pattern.quote(agent) + "\\s+active").matcher(keys).find(), keys);

        Status status = Eventually.await("the process route to deliver events from the log", Duration.ofSeconds(30),
                karaf::status, s -> s.delivered(PROCESS_ROUTE) > 0);
        assertEquals(0, status.routes().get("process-pipeline").failed());

        String metrics = karaf.httpGet("/metrics");
        Matcher accepted = Pattern.compile("(?m)^amoskys_bus_events_accepted_total (\\d+)$").matcher(metrics);
        assertTrue(accepted.find() && Long.parseLong(accepted.group(1)) > 0, metrics);
        assertTrue(metrics.contains("amoskys_bus_rejected_total{reason=\"forged-signature\"} 0"), metrics);
        assertTrue(metrics.contains("# TYPE amoskys_bus_ack_latency_seconds histogram"), metrics);
        assertTrue(metrics.contains("amoskys_bus_consumer_lag_envelopes{consumer=\"process-pipeline\"}"), metrics);

        String verify = karaf.client("amoskys:verify").strip();
        assertTrue(verify.startsWith("log intact: "), verify);
    }

    @Test
    @Order(2)
    void keysAreEnrolledListedRotatedAndRevokedOverRestByAnAdminOnly() throws Exception {
        String password = karaf.initialAdminPassword();
        String admin = KarafInstance.basic("admin", password);
        String wrong = KarafInstance.basic("admin", password + "x");
        KeyPair first = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair second = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String firstKey = Base64.getEncoder().encodeToString(first.getPublic().getEncoded());
        String secondKey = Base64.getEncoder().encodeToString(second.getPublic().getEncoded());

        assertEquals(401, rest("GET", "", null, null).statusCode(), "no credentials");
        assertEquals(401, rest("POST", "", wrong, "{\"agent\":\"edge-rest\",\"publicKey\":\"" + firstKey + "\"}").statusCode());
        assertTrue(karaf.httpGet("/metrics").contains("\namoskys_http_login_failures_total 1\n"), "the wrong password is counted");
        HttpRequest crossSite = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + karaf.httpPort + "/amoskys/api/keys"))
                .header("Authorization", admin).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"edge-rest\",\"publicKey\":\"" + firstKey + "\"}")).build();
        assertEquals(400, HttpClient.newHttpClient().send(crossSite, HttpResponse.BodyHandlers.ofString()).statusCode(),
                "only JSON bodies: a cross-site form post cannot change the trust store");
        HttpResponse<String> bad = rest("POST", "", admin, "{\"agent\":\"edge-rest\",\"publicKey\":\"not-a-key\"}");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("Ed25519 public key"), bad.body());

        HttpResponse<String> enrolled = rest("POST", "", admin, "{\"agent\":\"edge-rest\",\"publicKey\":\"" + firstKey + "\"}");
        assertEquals(201, enrolled.statusCode(), enrolled.body());
        Matcher id = Pattern.compile("\"keyId\":\"([0-9a-f]{16})\"").matcher(enrolled.body());
        assertTrue(id.find(), enrolled.body());
        String firstId = id.group(1);
        assertTrue(karaf.client("amoskys:keys list").contains(firstId), "the shell sees the REST enrollment");

        HttpResponse<String> rotated = rest("POST", "/rotate", admin,
                "{\"agent\":\"edge-rest\",\"publicKey\":\"" + secondKey + "\",\"graceHours\":1}");
        assertEquals(201, rotated.statusCode(), rotated.body());
        String list = rest("GET", "", admin, null).body();
        assertTrue(list.contains("\"keyId\":\"" + firstId + "\"") && list.contains("\"state\":\"retiring\""), list);
        assertTrue(karaf.client("amoskys:keys list").lines().anyMatch(l -> l.startsWith(firstId) && l.contains("retiring")),
                "the old key retires after a rotation");

        assertEquals(200, rest("DELETE", "/" + firstId, admin, null).statusCode());
        assertTrue(karaf.client("amoskys:keys list").lines().anyMatch(l -> l.startsWith(firstId) && l.contains("revoked")));
        assertTrue(karaf.log().contains("admin revoked key " + firstId + " of agent edge-rest over REST"), "the change is audited");
    }

    private HttpResponse<String> rest(String method, String path, String authorization, String json) {
        return karaf.http(method, "/amoskys/api/keys" + path, authorization, json);
    }

    @Test
    @Order(3)
    void aTimeRangeOfTheLogRunsThroughTheRouteAgain() {
        Instant from = Instant.now().minusSeconds(3600);
        long before = karaf.status().delivered(PROCESS_ROUTE);
        String out = karaf.client("amoskys:replay --from " + from + " process-pipeline").strip();
        Matcher m = Pattern.compile("replayed offsets (\\d+)\\.\\.(\\d+) to amoskys:bus/process-pipeline: (\\d+) events through 1 route\\(s\\) in [\\d.]+ s")
                .matcher(out);
        assertTrue(m.matches(), out);
        long replayed = Long.parseLong(m.group(3));
        assertTrue(replayed > 0, out);
        Status after = karaf.status();
        assertTrue(after.delivered(PROCESS_ROUTE) >= before + replayed, "the route saw the replayed events: " + out);
        assertEquals(0, after.routes().get("process-pipeline").failed());
    }

    @Test
    @Order(4)
    void aKillDuringIngestLosesNoCommittedEnvelopeAndProcessingResumes() throws Exception {
        String beforeKill = Eventually.await("a few hundred process envelopes in the log", Duration.ofSeconds(60),
                () -> karaf.client("amoskys:bus"),
                out -> processAgent(agents(out)) != null && agents(out).get(processAgent(agents(out))).envelopes() >= 20);
        String agent = processAgent(agents(beforeKill));
        AgentRange committedBefore = agents(beforeKill).get(agent);
        long consumerBefore = committed(beforeKill, "process-pipeline");

        karaf.killHard();
        karaf.start();
        karaf.awaitAllActive();

        String afterRestart = Eventually.await("the process agent to publish again after the restart", Duration.ofSeconds(60),
                () -> karaf.client("amoskys:bus"),
                out -> agents(out).containsKey(agent) && agents(out).get(agent).last() > committedBefore.last() + 5
                        && committed(out, "process-pipeline") > consumerBefore);
        for (Map.Entry<String, AgentRange> e : agents(afterRestart).entrySet()) {
            AgentRange r = e.getValue();
            assertEquals(r.last() - r.first() + 1, r.envelopes(), e.getKey() + ": every sequence exactly once, none missing: " + afterRestart);
        }
        AgentRange now = agents(afterRestart).get(agent);
        assertEquals(1, now.first(), "the envelopes committed before the kill are still there");
        assertTrue(now.envelopes() >= committedBefore.envelopes() && now.events() >= committedBefore.events(), afterRestart);
        assertTrue(committed(afterRestart, "process-pipeline") >= consumerBefore, "the consumer resumed after its committed offset");

        String verify = karaf.client("amoskys:verify").strip();
        assertTrue(verify.startsWith("log intact: "), verify);
        assertTrue(karaf.log().contains("Event bus ready: log"), "the bus reopened its log");
    }

    @Test
    @Order(5)
    void theStoppedInstallationsLogVerifiesOfflineWithTheScript() throws Exception {
        karaf.close();
        Process verify = new ProcessBuilder(karaf.home.resolve("bin/amoskys-verify").toString())
                .directory(karaf.home.toFile()).redirectErrorStream(true).start();
        String out = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, verify.waitFor(), out);
        assertTrue(Pattern.compile("(?m)^log intact: \\d+ commits, \\d+ envelopes, \\d+ events, offsets 1\\.\\.\\d+$").matcher(out).find(), out);
    }
}
