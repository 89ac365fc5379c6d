package io.amoskys.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
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
 * From captures to findings in the real distribution, on its default routes: benign captures
 * raise nothing above medium; an attack capture raises Sigma alerts tagged with its ATT&CK
 * technique and a score-junction alert whose explanation names the detectors and their features;
 * the alerts are stored, listed and acknowledged over REST by an operator but not a viewer; a
 * broken rule file is refused with its file and line while the other rules keep matching; a rule
 * bundle installed from the shell matches without a restart and leaves with its bundle.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertsIT {
    private static final List<String> MODELS = List.of("iforest", "gbt", "lstm", "transformer");

    private KarafInstance karaf;

    @BeforeAll
    void boot() throws Exception {
        karaf = KarafInstance.unpack("alerts");
        // The tests' own HTTP client stands in for a TLS-ending proxy on loopback (Order 10).
        karaf.setProperty("io.amoskys.http.auth", "trustedProxies", "127.0.0.1, ::1");
        karaf.start();
        karaf.awaitAllActive();
        Eventually.await("the four shipped models active", Duration.ofSeconds(90), () -> karaf.client("amoskys:models --no-format"),
                out -> MODELS.stream().allMatch(m -> out.lines().anyMatch(l -> l.matches(m + "\\s*\t1\\.0\\.0\\s*\tactive.*"))));
        karaf.addUsers("ops secret-ops operator", "vera secret-vera viewer", "otto secret-otto operator ssh",
                "vic secret-vic viewer ssh", "lee secret-lee viewer");
    }

    @AfterAll
    void stop() throws Exception {
        karaf.close();
    }

    private static Path capture(String name) {
        return Path.of(System.getProperty("amoskys.pcapData"), name).toAbsolutePath().normalize();
    }

    /**
     * Replays a capture and waits until the flow route has finished every event it made. The wait
     * reads /metrics, not {@code amoskys:status}: a probe twice a second over SSH was most of the
     * class's shell logins.
     */
    private void replay(String name) {
        long before = flowRoute().exchanges();
        String out = karaf.client("amoskys:replay " + capture(name));
        Matcher flows = Pattern.compile("(\\d+) packets, (\\d+) flows, ").matcher(out);
        assertTrue(flows.find(), out);
        Matcher messages = Pattern.compile("(\\d+) ARP/DHCP/DNS messages").matcher(out);
        long events = Long.parseLong(flows.group(2)) + (messages.find() ? Long.parseLong(messages.group(1)) : 0);
        Eventually.await(name + " through the flow route", Duration.ofSeconds(120),
                this::flowRoute, r -> r.exchanges() >= before + events && r.inflight() == 0);
    }

    private record RouteCounters(long exchanges, long inflight) {}

    /** The flow route's finished and in-flight exchanges as /metrics gives them (the counters of amoskys:status). */
    private RouteCounters flowRoute() {
        String metrics = karaf.httpGet("/metrics");
        return new RouteCounters(flowRouteSample(metrics, "amoskys_route_exchanges_total"),
                flowRouteSample(metrics, "amoskys_route_exchanges_inflight"));
    }

    private static long flowRouteSample(String metrics, String name) {
        Matcher sample = Pattern.compile("(?m)^" + name + "\\{route=\"flow-pipeline\"} (\\d+)$").matcher(metrics);
        if (!sample.find()) {
            throw new IllegalStateException("no " + name + " of flow-pipeline in /metrics:\n" + metrics);
        }
        return Long.parseLong(sample.group(1));
    }

    private long count(String filters) {
        return Long.parseLong(karaf.client("amoskys:alerts --count " + filters).strip().split("\\s+")[0]);
    }

    /** The alerts' lines of {@code amoskys:alerts --no-format FILTERS}: id, severity, state, rule, entity, ... */
    private List<String[]> alerts(String filters) {
        return karaf.client("amoskys:alerts --no-format " + filters).lines().map(l -> l.split("\t"))
                .filter(cells -> cells.length > 4 && !cells[0].strip().equals("Id")).toList();
    }

    /** The captures MANIFEST.tsv files under a category starting with "benign". */
    private static List<String> benignCaptures() throws IOException {
        List<String> lines = Files.readAllLines(Path.of(System.getProperty("amoskys.pcapData"), "MANIFEST.tsv"));
        List<String> header = List.of(lines.get(0).split("\t"));
        int file = header.indexOf("file");
        int category = header.indexOf("category");
        return lines.stream().skip(1).map(l -> l.split("\t")).filter(c -> c[category].startsWith("benign")).map(c -> c[file]).toList();
    }

    @Test
    @Order(1)
    void benignCapturesRaiseNothingAboveMedium() throws IOException {
        List<String> benign = benignCaptures();
        assertTrue(benign.size() >= 10, "the manifest's benign captures: " + benign);
        for (String capture : benign) {
            replay(capture);
        }
        // Hosts only: the process route watches this machine's own processes meanwhile.
        assertEquals(0, count("--entity host:* --severity high"), karaf.client("amoskys:alerts --entity host:*"));
        assertTrue(count("--entity host:*") <= benign.size() / 2, "few alerts at all: " + karaf.client("amoskys:alerts --entity host:*"));
    }

    @Test
    @Order(2)
    void aScanRaisesTaggedRuleAlertsAndAnExplainedJunctionAlert() {
        replay("evilfingers_nmap_TCP_SYN_SCAN.pcap");
        Eventually.await("a port-scan alert tagged T1046", Duration.ofSeconds(60), () -> count("--tag attack.t1046"), n -> n >= 1);
        List<String[]> junction = Eventually.await("a junction alert", Duration.ofSeconds(60), () -> alerts("--rule junction"),
                list -> !list.isEmpty());
        String show = karaf.client("amoskys:alerts show " + junction.get(0)[0].strip());
        long detectorsNamed = MODELS.stream().filter(show::contains).count();
        assertTrue(detectorsNamed >= 2, "the explanation names the detectors that drove it:\n" + show);
        assertTrue(show.contains("junction") && show.contains("fusion"), "the fused score is the first evidence:\n" + show);
        assertTrue(Pattern.compile("_1m|_ratio|entropy").matcher(show).find(), "and the detectors' top features:\n" + show);
        evidenceResolvesToStoredEvents(alerts("--rule junction --entity host:*").get(0));
        evidenceResolvesToStoredEvents(alerts("--tag attack.t1046 --entity host:*").get(0));
        String metrics = karaf.httpGet("/metrics");
        Matcher admitted = Pattern.compile("(?m)^amoskys_junction_alerts_total (\\d+)$").matcher(metrics);
        assertTrue(admitted.find() && Long.parseLong(admitted.group(1)) >= 1, metrics);
        for (String model : MODELS) { // all four scored the live route, with no restart
            long rows = modelCounter(metrics, "amoskys_model_rows_total", model);
            // A sequence model scores a host's window every windowStride (8) of its flows; the
            // others every flow. Either way every flow of the scan reached the model.
            long seen = rows + modelCounter(metrics, "amoskys_model_window_skipped_total", model);
            assertTrue(seen > 1000 && rows > 1000 / 8, model + " scored the scan's flows (" + rows + " rows of " + seen + "): " + metrics);
        }
    }

    private static long modelCounter(String metrics, String name, String model) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{model=\"" + model + "\",version=\"1\\.0\\.0\"} (\\d+)$").matcher(metrics);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /**
     * Every evidence id of the alert names an event the bus's log stores, of the alert's host: in
     * the shell (one line per event: kind, entity, time, log offset) and over REST.
     */
    private void evidenceResolvesToStoredEvents(String[] alert) {
        String id = alert[0].strip();
        String address = alert[4].strip().replaceFirst("^host:", "");
        String show = karaf.client("amoskys:alerts show " + id);
        List<String> evidence = show.lines().dropWhile(l -> !l.startsWith("Evidence:")).skip(1)
                .takeWhile(l -> l.startsWith("  ")).toList();
        assertTrue(!evidence.isEmpty(), "the alert has evidence events:\n" + show);
        Pattern stored = Pattern.compile("^  \\S+:\\d+  (flow|arp|dhcp|dns)  \\S+  \\S+  log \\d+/\\d+  .*");
        for (String line : evidence) {
            assertTrue(stored.matcher(line).matches(), "each evidence id resolves to a stored event:\n" + show);
        }
        assertTrue(evidence.stream().anyMatch(l -> l.contains(address)), "the events are the alert's host's (" + address + "):\n" + show);

        HttpResponse<String> rest = karaf.http("GET", "/amoskys/api/v1/alerts/" + id + "/events",
                KarafInstance.basic("vera", "secret-vera"), null);
        assertEquals(200, rest.statusCode(), rest.body());
        assertEquals(evidence.size(), Pattern.compile("\"found\"\\s*:\\s*true").matcher(rest.body()).results().count(), rest.body());
        assertTrue(!rest.body().matches("(?s).*\"found\"\\s*:\\s*false.*"), rest.body());
        assertTrue(rest.body().contains("\"logOffset\""), rest.body());
    }

    @Test
    @Order(3)
    void anOperatorAcknowledgesOverRestAndAViewerCannot() {
        String id = alerts("--tag attack.t1046").get(0)[0].strip();
        HttpResponse<String> listed = karaf.http("GET", "/amoskys/api/v1/alerts?tag=attack.t1046", KarafInstance.basic("vera", "secret-vera"), null);
        assertEquals(200, listed.statusCode(), listed.body());
        assertTrue(listed.body().contains("attack.t1046"), listed.body());
        String full = Pattern.compile("\"id\"\\s*:\\s*\"(" + Pattern.quote(id) + "[^\"]*)\"").matcher(listed.body()).results()
                .map(r -> r.group(1)).findFirst().orElseThrow(() -> new AssertionError(id + " not in " + listed.body()));

        HttpResponse<String> refused = karaf.http("POST", "/amoskys/api/v1/alerts/" + full + "/ack", KarafInstance.basic("vera", "secret-vera"), "{}");
        assertEquals(403, refused.statusCode(), refused.body());
        HttpResponse<String> acked = karaf.http("POST", "/amoskys/api/v1/alerts/" + full + "/ack", KarafInstance.basic("ops", "secret-ops"),
                "{\"comment\":\"looking into it\"}");
        assertEquals(200, acked.statusCode(), acked.body());
        HttpResponse<String> after = karaf.http("GET", "/amoskys/api/v1/alerts/" + full, KarafInstance.basic("vera", "secret-vera"), null);
        assertTrue(after.body().contains("acknowledged") && after.body().contains("looking into it"), after.body());
        assertTrue(karaf.client("amoskys:alerts show " + full).contains("acknowledged"), "the shell sees the same store");
        resolvesInABrowserSessionOnlyWithItsCsrfToken(full);
    }

    /** The same change from a browser session: logged in, refused without the CSRF token, done with it, logged out. */
    private void resolvesInABrowserSessionOnlyWithItsCsrfToken(String alert) {
        HttpResponse<String> wrong = karaf.http("POST", "/amoskys/api/v1/session", Map.of(),
                "{\"user\":\"ops\",\"password\":\"not-it\"}");
        assertEquals(401, wrong.statusCode(), wrong.body());
        HttpResponse<String> login = karaf.http("POST", "/amoskys/api/v1/session", Map.of(), "{\"user\":\"ops\",\"password\":\"secret-ops\"}");
        assertEquals(200, login.statusCode(), login.body());
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"), setCookie);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        Matcher token = Pattern.compile("\"csrfToken\"\\s*:\\s*\"([^\"]+)\"").matcher(login.body());
        assertTrue(token.find(), login.body());

        assertEquals(200, karaf.http("GET", "/amoskys/api/v1/alerts/" + alert, Map.of("Cookie", cookie), null).statusCode());
        HttpResponse<String> forged = karaf.http("POST", "/amoskys/api/v1/alerts/" + alert + "/resolve", Map.of("Cookie", cookie), "{}");
        assertEquals(403, forged.statusCode(), "another site's page has the cookie sent, not the token: " + forged.body());
        assertTrue(forged.body().contains("CSRF"), forged.body());
        HttpResponse<String> resolved = karaf.http("POST", "/amoskys/api/v1/alerts/" + alert + "/resolve",
                Map.of("Cookie", cookie, "X-CSRF-Token", token.group(1)), "{\"comment\":\"from the dashboard\"}");
        assertEquals(200, resolved.statusCode(), resolved.body());
        assertTrue(resolved.body().contains("resolved"), resolved.body());

        assertEquals(200, karaf.http("DELETE", "/amoskys/api/v1/session", Map.of("Cookie", cookie, "X-CSRF-Token", token.group(1)), null)
                .statusCode());
        HttpResponse<String> after = karaf.http("GET", "/amoskys/api/v1/alerts/" + alert, Map.of("Cookie", cookie), null);
        assertEquals(401, after.statusCode(), "logged out: " + after.body());
        String metrics = karaf.httpGet("/metrics");
        assertTrue(metrics.contains("amoskys_http_csrf_refused_total 1\n"), metrics);
        assertTrue(metrics.contains("amoskys_http_sessions_opened_total 1\n"), metrics);
    }

    @Test
    @Order(4)
    void aBrokenRuleFileIsRefusedWithItsLineWhileTheOtherRulesKeepMatching() throws IOException {
        Path rules = karaf.routes().getParent().resolve("rules");
        Files.createDirectories(rules);
        Files.writeString(rules.resolve("broken.yml"), """
                title: A rule with a broken condition
                id: local-broken
                logsource: {product: amoskys, category: flow}
                detection:
                  selection:
                    dport: 23
                  condition: selection and nothing
                level: high
                """);
        String refused = Eventually.await("the broken rule refused", Duration.ofSeconds(30), () -> karaf.client("amoskys:rules --refused"),
                out -> out.contains("broken.yml"));
        assertTrue(Pattern.compile("broken\\.yml:\\d+").matcher(refused).find(), "file and line: " + refused);
        long before = count("");
        replay("ppa_portscan.pcap");
        Eventually.await("the shipped rules still alerting", Duration.ofSeconds(60), () -> count(""), n -> n > before);
    }

    @Test
    @Order(5)
    void aRuleBundleInstalledFromTheShellMatchesWithoutRestartAndLeavesWithItsBundle() throws IOException {
        Path jar = karaf.routes().getParent().getParent().resolve("telnet-rules.jar");
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "test.rules.telnet");
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Amoskys-Rules", "rules/");
        main.putValue("Require-Capability", "osgi.extender;filter:=\"(&(osgi.extender=io.amoskys.rules)(version>=1.0.0)(!(version>=2.0.0)))\"");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new JarEntry("rules/telnet.yml"));
            out.write("""
                    title: A telnet session (a vendor's rule bundle)
                    id: vendor-telnet-session
                    status: test
                    level: low
                    tags: [attack.t1021]
                    logsource: {product: amoskys, category: flow}
                    detection:
                      selection:
                        dport: 23
                      condition: selection
                    """.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        String installed = karaf.client("bundle:install -s file:" + jar);
        Eventually.await("the vendor's rule loaded", Duration.ofSeconds(30), () -> karaf.client("amoskys:rules"),
                out -> out.contains("vendor-telnet-session"));
        replay("sv_telnet.pcap");
        Eventually.await("the vendor's rule matching", Duration.ofSeconds(60), () -> count("--rule vendor-telnet-session"), n -> n >= 1);

        Matcher id = Pattern.compile("Bundle ID: (\\d+)").matcher(installed);
        assertTrue(id.find(), installed);
        karaf.client("bundle:uninstall " + id.group(1));
        Eventually.await("the rule gone with its bundle", Duration.ofSeconds(30), () -> karaf.client("amoskys:rules"),
                out -> !out.contains("vendor-telnet-session"));
    }

    /**
     * The dashboard in Debian's chromium (playwright-core, src/test/browser/dashboard.js): log in,
     * see events/s move while an attack capture is replayed, open a port-scan alert with its
     * evidence, acknowledge it and see the change through the API; the route graph's step counters
     * move while another capture is replayed; the models page charts the score distributions and
     * answers a rollback with nothing to go back to with its reason; a viewer gets no buttons and
     * a 403. Screenshots of every page land in target/screenshots; first paint and live-update
     * latency are printed for docs/PERFORMANCE.md.
     */
    @Test
    @Order(6)
    void theDashboardInARealBrowser() throws IOException, InterruptedException {
        BrowserScript browser = BrowserScript.run(karaf, "dashboard.js", "screenshots",
                Map.of("OPERATOR", "ops:secret-ops", "VIEWER", "vera:secret-vera"), line -> {
                    if (line.equals("READY")) {
                        replay("evilfingers_nmap_FIN_SCAN.pcap"); // while the overview is open
                    } else if (line.equals("ROUTES")) {
                        replay("esnet_masscan_tcp_0_1000.pcap"); // while the route graph is open
                    }
                });
        List<String> lines = browser.lines();
        String transcript = browser.transcript();
        assertTrue(lines.contains("VIEWER_POST 403"), "a viewer's change is refused by the API: " + transcript);
        assertTrue(lines.contains("VIEWER_PROMOTE 403"), "a viewer's promotion is refused by the API: " + transcript);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("ROLLBACK_REFUSED ") && l.contains("gbt")),
                "an operator's rollback with nothing to go back to is answered with its reason: " + transcript);
        assertTrue(karaf.client("amoskys:models --no-format").lines().anyMatch(l -> l.matches("gbt\\s*\t1\\.0\\.0\\s*\tactive.*")),
                "gbt 1.0.0 stays active");
        String acked = lines.stream().filter(l -> l.startsWith("ACKED ")).map(l -> l.substring(6)).findFirst()
                .orElseThrow(() -> new AssertionError(transcript));
        HttpResponse<String> seen = karaf.http("GET", "/amoskys/api/v1/alerts/" + acked, KarafInstance.basic("vera", "secret-vera"), null);
        assertEquals(200, seen.statusCode(), seen.body());
        assertTrue(seen.body().matches("(?s).*\"state\"\\s*:\\s*\"acknowledged\".*") && seen.body().matches("(?s).*\"user\"\\s*:\\s*\"ops\".*"),
                "the acknowledgement made in the browser, seen through the API: " + seen.body());
        for (String page : List.of("01-login", "02-overview", "03-alerts", "04-alert", "05-alert-acknowledged", "06-routes",
                "07-devices", "08-viewer-alert", "09-models", "10-plugins")) {
            assertTrue(Files.size(browser.shots().resolve(page + ".png")) > 1000, page + " screenshot");
        }
    }

    /** The OpenAPI document the platform serves names paths the platform answers (none of them unknown). */
    @Test
    @Order(7)
    void theOpenApiDocumentDescribesTheServedApi() {
        HttpResponse<String> doc = karaf.http("GET", "/amoskys/api/v1/openapi.json", Map.of(), null);
        assertEquals(200, doc.statusCode(), doc.body());
        assertTrue(doc.body().contains("\"openapi\": \"3.0.3\""), doc.body());
        List<String> paths = Pattern.compile("\"(/amoskys/api/[^\"]*|/metrics)\": \\{").matcher(doc.body()).results()
                .map(m -> m.group(1)).toList();
        assertTrue(paths.size() >= 20, "the API's paths: " + paths);
        String alert = alerts("--entity host:*").get(0)[0].strip();
        int checked = 0;
        for (String template : paths) {
            // A real alert's id where the path takes one; a made-up one elsewhere is a 404 of its
            // own (devices, suppressions: skipped). The live stream never ends (the browser test reads it).
            // A model's, an action's and a responder's POST-only paths answer GET with 405, which is no 404.
            String path = template.replace("/alerts/{id}", "/alerts/" + alert).replace("{keyId}", "no-such-key")
                    .replace("/models/{name}", "/models/gbt").replace("/responders/{name}", "/responders/nftables")
                    .replace("/actions/{id}/", "/actions/no-such-action/");
            if (path.contains("{") || path.endsWith("/live")) {
                continue;
            }
            HttpResponse<String> answer = karaf.http("GET", path, KarafInstance.basic("vera", "secret-vera"), null);
            assertTrue(answer.statusCode() != 404, path + " is documented but not served: " + answer.body());
            checked++;
        }
        assertTrue(checked >= paths.size() - 4, checked + " of " + paths.size() + " paths checked");
        HttpResponse<String> unknown = karaf.http("GET", "/amoskys/api/v1/no-such-thing", KarafInstance.basic("vera", "secret-vera"), null);
        assertEquals(404, unknown.statusCode(), "the check above can fail: " + unknown.body());
    }

    /** Shell output without its colours. */
    private static String plain(String output) {
        return output.replaceAll("\u001B\\[[;\\d]*m", "");
    }

    /** The shell holds its users to the same roles as the API: a viewer lists but cannot act, an operator acts but cannot change keys. */
    @Test
    @Order(8)
    void theShellHoldsItsUsersToTheirRoles() {
        String alert = alerts("--state new --entity host:*").get(0)[0].strip();
        KarafInstance.ClientResult count = karaf.clientResult(List.of("-u", "vic", "-p", "secret-vic", "amoskys:alerts --count"));
        assertTrue(count.output().strip().matches("(?s)\\d+.*"), "a viewer lists: " + count.output());
        KarafInstance.ClientResult ack = karaf.clientResult(List.of("-u", "vic", "-p", "secret-vic", "amoskys:alerts ack " + alert));
        assertTrue(ack.output().contains("amoskys:alerts ack needs one of the roles admin, operator"), "a viewer cannot act: " + ack.output());
        KarafInstance.ClientResult keys = karaf.clientResult(List.of("-u", "vic", "-p", "secret-vic", "amoskys:keys"));
        assertTrue(plain(keys.output()).contains("Command not found: amoskys:keys"), "nor see keys (a command a user may not run is hidden): "
                + keys.output());

        KarafInstance.ClientResult acted = karaf.clientResult(List.of("-u", "otto", "-p", "secret-otto", "amoskys:alerts ack " + alert));
        assertEquals(0, acted.exitCode(), acted.output());
        assertTrue(karaf.client("amoskys:alerts show " + alert).contains("otto"), "the operator's acknowledgement is in the history");
        KarafInstance.ClientResult operatorKeys = karaf.clientResult(List.of("-u", "otto", "-p", "secret-otto", "amoskys:keys"));
        assertTrue(plain(operatorKeys.output()).contains("Command not found: amoskys:keys"), "the trust store is the admin's: "
                + operatorKeys.output());
        assertTrue(karaf.client("amoskys:keys").contains("KEY ID"), "and the admin's shell has it: " + karaf.client("amoskys:keys"));
    }

    @Test
    @Order(9)
    void aBrowserSessionEndsWhenItsUserIsRemoved() {
        HttpResponse<String> login = karaf.http("POST", "/amoskys/api/v1/session", Map.of(), "{\"user\":\"lee\",\"password\":\"secret-lee\"}");
        assertEquals(200, login.statusCode(), login.body());
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        Map<String, String> cookie = Map.of("Cookie", setCookie.substring(0, setCookie.indexOf(';')));
        assertEquals(200, karaf.http("GET", "/amoskys/api/v1/alerts/count", cookie, null).statusCode());

        karaf.client("jaas:realm-manage --realm karaf; jaas:user-delete lee; jaas:update");
        // The next use of the session after the account is gone from etc/users.properties is refused.
        HttpResponse<String> after = Eventually.await("lee's session refused", Duration.ofSeconds(30),
                () -> karaf.http("GET", "/amoskys/api/v1/alerts/count", cookie, null), r -> r.statusCode() != 200);
        assertEquals(401, after.statusCode(), after.body());
        assertTrue(after.body().contains("log in again"), after.body());
        assertTrue(karaf.httpGet("/metrics").contains("amoskys_http_account_changed_total 1\n"));
    }

    @Test
    @Order(10)
    void behindATrustedProxyFailuresLockTheForwardedClientAndTheCookieIsSecure() {
        Map<String, String> guesser = Map.of("X-Forwarded-For", "198.51.100.23, 203.0.113.50", "X-Forwarded-Proto", "https");
        for (int i = 0; i < 5; i++) {
            assertEquals(401, karaf.http("POST", "/amoskys/api/v1/session", guesser, "{\"user\":\"ops\",\"password\":\"guess-" + i + "\"}")
                    .statusCode());
        }
        HttpResponse<String> locked = karaf.http("POST", "/amoskys/api/v1/session", guesser, "{\"user\":\"vera\",\"password\":\"secret-vera\"}");
        assertEquals(429, locked.statusCode(), locked.body());
        assertTrue(locked.body().contains("address 203.0.113.50"), "the client the proxy saw, not the one it claimed: " + locked.body());

        HttpResponse<String> other = karaf.http("POST", "/amoskys/api/v1/session",
                Map.of("X-Forwarded-For", "203.0.113.51", "X-Forwarded-Proto", "https"), "{\"user\":\"vera\",\"password\":\"secret-vera\"}");
        assertEquals(200, other.statusCode(), "another client behind the same proxy: " + other.body());
        assertTrue(other.headers().firstValue("Set-Cookie").orElseThrow().contains("; Secure"), "TLS ended at the proxy");
        HttpResponse<String> direct = karaf.http("POST", "/amoskys/api/v1/session", Map.of(), "{\"user\":\"vera\",\"password\":\"secret-vera\"}");
        assertEquals(200, direct.statusCode(), "the proxy's own address is not locked: " + direct.body());
        assertTrue(!direct.headers().firstValue("Set-Cookie").orElseThrow().contains("Secure"), "plain HTTP: no Secure");
        assertTrue(karaf.httpGet("/metrics").contains("amoskys_http_trusted_proxies_refused 0\n"));

        // /metrics is this machine's; another host's scraper logs in.
        Map<String, String> remote = Map.of("X-Forwarded-For", "203.0.113.52");
        assertEquals(401, karaf.http("GET", "/metrics", remote, null).statusCode());
        Map<String, String> scraper = new java.util.HashMap<>(remote);
        scraper.put("Authorization", KarafInstance.basic("vera", "secret-vera"));
        HttpResponse<String> scraped = karaf.http("GET", "/metrics", scraper, null);
        assertEquals(200, scraped.statusCode(), scraped.body());
        assertTrue(scraped.body().contains("amoskys_http_logins_total"), scraped.body());
    }
}
