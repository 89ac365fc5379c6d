package io.amoskys.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The assembled distribution boots offline, runs the default pipeline and has no default password. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlatformIT {
    private static final String AGENT = "amoskys:bus/process-pipeline?kinds=process";
    private static final String STAGE = "amoskys:stage/canonical";
    private static final String DETECTOR = "amoskys:detector/zscore";
    private static final String RULE = "amoskys:rule/threshold";
    private static final String RESPONDER = "amoskys:responder/log";

    private KarafInstance karaf;

    @BeforeAll
    void boot() throws Exception {
        karaf = KarafInstance.unpack("platform");
        // Faster than the defaults so that alerts reach the responder within the test's patience.
        karaf.configure("io.amoskys.agent.process", Map.of("intervalMillis", "500"));
        karaf.configure("io.amoskys.detector.zscore", Map.of("minSamples", "2"));
        karaf.configure("io.amoskys.rule.threshold", Map.of("minScore", "0.0", "cooldownSeconds", "0"));
        karaf.start();
        Duration startup = karaf.awaitAllActive();
        System.out.printf("AMOSKYS distribution: all bundles active %.1f s after start%n", startup.toMillis() / 1000.0);
    }

    @AfterAll
    void stop() throws Exception {
        karaf.close();
    }

    @Test
    void startsOfflineWithEveryPluginKindRegistered() {
        assertEquals(List.of(), KarafInstance.notActive(karaf.client("bundle:list -t 0 --no-format")));
        String repositories = karaf.client("config:property-get --pid org.ops4j.pax.url.mvn org.ops4j.pax.url.mvn.repositories");
        assertEquals("", repositories.strip(), "no remote Maven repository is configured");
        Status status = karaf.status();
        for (String[] plugin : new String[][] {{"agent", "process"}, {"agent", "flow"}, {"stage", "canonical"}, {"detector", "zscore"},
                {"rule", "threshold"}, {"responder", "log"}}) {
            assertTrue(status.hasPlugin(plugin[0], plugin[1]), plugin[0] + "/" + plugin[1] + " in " + status.plugins());
        }
    }

    @Test
    void processEventsFlowThroughTheYamlRouteToTheDetectorAndTheResponder() {
        Status before = Eventually.await("the first alert at the responder", Duration.ofSeconds(60), karaf::status,
                s -> s.delivered(RESPONDER) > 0);
        Status after = Eventually.await("every step of the pipeline to handle more messages", Duration.ofSeconds(60),
                karaf::status, s -> s.delivered(AGENT) > before.delivered(AGENT)
                        && s.delivered(STAGE) > before.delivered(STAGE)
                        && s.delivered(DETECTOR) > before.delivered(DETECTOR)
                        && s.delivered(RULE) > before.delivered(RULE)
                        && s.delivered(RESPONDER) > before.delivered(RESPONDER));
        Status.Route route = after.routes().get("process-pipeline");
        assertEquals("Started", route.state());
        assertEquals("file:process.yaml", route.source());
        assertTrue(route.exchanges() > 0);
        assertEquals(0, route.failed(), "no exchange failed");
        after.endpoints().values().forEach(e -> assertEquals(0, e.held(), e.uri() + " holds nothing"));
    }

    @Test
    void alertsReachTheAuditLogWithTheirEvidence() {
        String line = Eventually.await("an alert in the audit log", Duration.ofSeconds(60), () -> {
            try {
                return Files.readString(karaf.home.resolve("data/log/amoskys-audit.log"));
            } catch (IOException e) {
                return "";
            }
        }, log -> log.contains("ALERT id="));
        assertTrue(line.contains("rule=threshold"));
        assertTrue(Pattern.compile("zscore/zscore-1 score=\\d\\.\\d{3} top=\\[\\w+=").matcher(line).find(), line);
        assertTrue(Pattern.compile("events=\\[process@[^:]+:\\d+\\]").matcher(line).find(), line);
    }

    @Test
    void prometheusMetricsShowThePipelineAndOnlyLoopbackListens() throws Exception {
        Pattern delivered = Pattern.compile(
                "(?m)^amoskys_endpoint_delivered_total\\{endpoint=\"amoskys:detector/zscore\",kind=\"detector\",plugin=\"zscore\"} (\\d+)$");
        String metrics = Eventually.await("the detector's counter in /metrics", Duration.ofSeconds(60),
                () -> karaf.httpGet("/metrics"), m -> delivered.matcher(m).find());
        Matcher count = delivered.matcher(metrics);
        assertTrue(count.find() && Long.parseLong(count.group(1)) > 0, metrics);
        assertTrue(metrics.contains("# TYPE amoskys_endpoint_held gauge"));
        Matcher loaded = Pattern.compile("(?m)^amoskys_route_files\\{state=\"LOADED\"} (\\d+)$").matcher(metrics);
        assertTrue(loaded.find() && Integer.parseInt(loaded.group(1)) >= 2, "the shipped route files: " + metrics);
        assertTrue(metrics.contains("amoskys_route_files{state=\"REJECTED\"} 0"), metrics);
        // The z-score detector and the four shipped models; rules threshold, sigma and junction.
        assertTrue(metrics.contains("amoskys_plugins{kind=\"detector\"} 5"), metrics);
        assertTrue(metrics.contains("amoskys_plugins{kind=\"rule\"} 3"), metrics);
        assertTrue(metrics.contains("\namoskys_dead_letters_total 0\n"), metrics);

        assertListensOnLoopbackOnly(karaf.httpPort, "the web port");
        assertListensOnLoopbackOnly(karaf.sshPort, "the shell's SSH port");
    }

    /** Who listens on a port, read from the kernel's socket table (no traffic sent). */
    private static void assertListensOnLoopbackOnly(int port, String what) throws IOException {
        List<String> listeners = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.strip().split("\\s+");
                if (f.length > 3 && f[3].equals("0A") && f[1].endsWith(String.format(":%04X", port))) {
                    listeners.add(f[1].substring(0, f[1].indexOf(':')));
                }
            }
        }
        // 127.0.0.1 as IPv4, or as the IPv4-mapped IPv6 address ::ffff:127.0.0.1 of a dual-stack JVM.
        List<String> loopback = List.of("0100007F", "0000000000000000FFFF00000100007F");
        assertEquals(1, listeners.size(), what + ": one listener: " + listeners);
        assertTrue(loopback.containsAll(listeners), what + " listens on 127.0.0.1 only: " + listeners);
    }

    @Test
    void aReplayedCaptureFeedsItsFlowsThroughTheLiveRouteAndEndsWithOneSummaryLine() {
        String flows = "amoskys:bus/flow-pipeline?batched=true&kinds=flow,arp,dhcp,dns";
        long before = karaf.status().delivered(flows);
        String capture = Path.of(System.getProperty("amoskys.pcapData"), "evilfingers_nmap_TCP_SYN_SCAN.pcap")
                .toAbsolutePath().normalize().toString();
        String output = karaf.client("amoskys:replay " + capture).strip();
        Matcher summary = Pattern.compile(
                "(\\d+) packets, (\\d+) flows, (?:(\\d+) ARP/DHCP/DNS messages, )?0 errors, [\\d.]+ s, [\\d.]+ [kM] packets/s")
                .matcher(output);
        assertTrue(summary.matches(), output);
        assertEquals(2020, Long.parseLong(summary.group(1)), "the manifest's packet count");
        long replayed = Long.parseLong(summary.group(2));
        assertTrue(replayed >= 1005, "at least tshark's 1005 TCP conversations: " + replayed);
        long events = replayed + (summary.group(3) == null ? 0 : Long.parseLong(summary.group(3)));
        Status after = Eventually.await("the flows to reach the flow route", Duration.ofSeconds(30), karaf::status,
                s -> s.delivered(flows) >= before + events);
        assertEquals(before + events, after.delivered(flows), "every flow and observation, once, into the live route");
        assertEquals(0, after.routes().get("flow-pipeline").failed());
    }

    @Test
    void aCaptureRouteWithThePcapComponentFeedsTheFlowAgent() throws Exception {
        String flows = "amoskys:bus/flow-pipeline?batched=true&kinds=flow,arp,dhcp,dns";
        long before = karaf.status().delivered(flows);
        Path capture = Path.of(System.getProperty("amoskys.pcapData"), "evilfingers_nmap_UDP_SCAN.pcap").toAbsolutePath().normalize();
        Files.writeString(karaf.routes().resolve("capture.yaml"), """
                - route:
                    id: capture-udp-scan
                    from:
                      uri: "pcap:file:%s?batchSize=256"
                      steps:
                        - to: amoskys:agent/flow
                """.formatted(capture));
        // tshark finds 1030 UDP conversations in this scan; the ICMP port-unreachable answers add flows of their own.
        Status after = Eventually.await("the scan's flows to reach the flow route", Duration.ofSeconds(60), karaf::status,
                s -> s.delivered(flows) >= before + 1030);
        assertEquals(0, after.routes().get("capture-udp-scan").failed());
        Eventually.await("the component to have read the whole file", Duration.ofSeconds(60), karaf::log,
                log -> log.contains("Capture " + capture + " read: 2028 packets, 0 errors"));
    }

    @Test
    void theRouteFileIsListedAsLoaded() {
        String routes = karaf.client("amoskys:routes --no-format");
        assertTrue(routes.lines().anyMatch(l -> l.matches("process\\.yaml\\s*\\tLOADED\\s*\\tprocess-pipeline\\s*\\t.*")), routes);
        assertTrue(routes.lines().anyMatch(l -> l.matches("flows\\.yaml\\s*\\tLOADED\\s*\\tflow-pipeline\\s*\\t.*")), routes);
    }

    @Test
    void binClientRunsACommandAsTheLocalOperatorWithoutAPassword() {
        // The other tests reach the shell over SSH from their own JVM (ShellClient); this is the operator's script.
        KarafInstance.ClientResult routes = karaf.clientResult(List.of("amoskys:routes --no-format"));
        assertEquals(0, routes.exitCode(), routes.output());
        assertTrue(routes.output().contains("process-pipeline"), routes.output());
    }

    @Test
    void theShellServesNoFilesOverSftp() {
        // The command ACL holds each shell user to their role; Karaf's SFTP would hand every one of
        // them the installation folder: keys, users.properties, route files, deploy/.
        karaf.client("bundle:list -t 0 --no-format"); // the SSH server is up and lets the operator in
        assertFalse(assertTimeoutPreemptively(Duration.ofSeconds(60), karaf::offersSftp), "SFTP is off");
    }

    @Test
    void thereIsNoDefaultPasswordAndTheOneShownAtFirstStartWorks() throws Exception {
        String users = Files.readString(karaf.home.resolve("etc/users.properties"));
        assertFalse(users.lines().anyMatch(l -> l.startsWith("karaf")), "no karaf user");
        Matcher admin = Pattern.compile("(?m)^admin = \\{CRYPT}([0-9a-f]{128})\\{CRYPT},_g_:admingroup$").matcher(users);
        assertTrue(admin.find(), "admin stored as a SHA-512 digest: " + users);

        assertNotEquals(0, karaf.clientResult(List.of("-u", "karaf", "-p", "karaf", "bundle:list")).exitCode(),
                "karaf/karaf is refused");

        // Started without a terminal, as here, the generated password waits in a file only the owner
        // can read; standard output, which may end in a journal or a container's log, only says where.
        Path waiting = karaf.home.resolve("etc/amoskys/initial-admin-password");
        String password = Files.readString(waiting).strip();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(waiting)));
        String console = Files.readString(karaf.home.resolve("console.log"));
        assertTrue(console.contains("the password of user 'admin' is in "), console);
        assertFalse(console.contains(password), "the password is not on standard output");
        assertFalse(users.contains(password), "and never stored");
        // The digests are unsalted (Karaf's JAAS): no other local user may read them.
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(karaf.home.resolve("etc/users.properties"))));
        assertEquals(0, karaf.clientResult(List.of("-u", "admin", "-p", password, "bundle:list")).exitCode());
        assertNotEquals(0, karaf.clientResult(List.of("-u", "admin", "-p", password + "x", "bundle:list")).exitCode());
        // Both logins are audited (the JAAS realm's log audit, to data/log/security.log).
        Path securityLog = karaf.home.resolve("data/log/security.log");
        Eventually.await("both logins of admin in the security log", Duration.ofSeconds(30), () -> {
            try {
                return Files.exists(securityLog) ? Files.readString(securityLog) : "";
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, audit -> audit.contains("Authentication succeeded - admin - ") && audit.contains("Authentication failed - admin - "));
    }
}
