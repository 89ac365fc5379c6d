package io.amoskys.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * broken rule file is refused with its file and line while the other rules keep matching.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertsIT {
    private static final List<String> MODELS = List.of("iforest", "gbt", "lstm", "transformer");

    private KarafInstance karaf;

    @BeforeAll
    void boot() throws Exception {
        karaf = KarafInstance.unpack("alerts");
        karaf.start();
        karaf.awaitAllActive();
        Eventually.await("the four shipped models active", Duration.ofSeconds(90), () -> karaf.client("amoskys:models --no-format"),
                out -> MODELS.stream().allMatch(m -> out.lines().anyMatch(l -> l.matches(m + "\\s*\t1\\.0\\.0\\s*\tactive.*"))));
        karaf.addUsers("ops secret-ops operator", "vera secret-vera viewer");
    }

    @AfterAll
    void stop() throws Exception {
        karaf.close();
    }

    private static Path capture(String name) {
        return Path.of(System.getProperty("amoskys.pcapData"), name).toAbsolutePath().normalize();
    }

    /** Replays a capture and waits until the flow route has finished every event it made. */
    private void replay(String name) {
        long before = karaf.status().routes().get("flow-pipeline").exchanges();
        String out = karaf.client("amoskys:replay " + capture(name));
        Matcher flows = Pattern.compile("(\\d+) packets, (\\d+) flows, ").matcher(out);
        assertTrue(flows.find(), out);
        Matcher messages = Pattern.compile("(\\d+) ARP/DHCP/DNS messages").matcher(out);
        long events = Long.parseLong(flows.group(2)) + (messages.find() ? Long.parseLong(messages.group(1)) : 0);
        Eventually.await(name + " through the flow route", Duration.ofSeconds(120),
                () -> karaf.status().routes().get("flow-pipeline"), r -> r.exchanges() >= before + events && r.inflight() == 0);
    }

    private long count(String filters) {
        return Long.parseLong(karaf.client("amoskys:alerts --count " + filters).strip().split("\\s+")[0]);
    }

    /** The alerts' lines of {@code amoskys:alerts --no-format FILTERS}: id, severity, state, rule, entity, ... */
    private List<String[]> alerts(String filters) {
        return karaf.client("amoskys:alerts --no-format " + filters).lines().map(l -> l.split("\t"))
                .filter(cells -> cells.length > 4 && !cells[0].strip().equals("Id")).toList();
    }

    @Test
    @Order(1)
    void benignCapturesRaiseNothingAboveMedium() {
        for (String benign : List.of("ppa_http.cap", "ppa_dns.cap", "ppa_ftp.pcap", "sanders_http_google.pcapng")) {
            replay(benign);
        }
        // Hosts only: the process route watches this machine's own processes meanwhile.
        assertEquals(0, count("--entity host:* --severity high"), karaf.client("amoskys:alerts --entity host:*"));
        assertTrue(count("--entity host:*") <= 2, "few alerts at all: " + karaf.client("amoskys:alerts --entity host:*"));
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
        String metrics = karaf.httpGet("/metrics");
        Matcher admitted = Pattern.compile("(?m)^amoskys_junction_alerts_total (\\d+)$").matcher(metrics);
        assertTrue(admitted.find() && Long.parseLong(admitted.group(1)) >= 1, metrics);
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
}
