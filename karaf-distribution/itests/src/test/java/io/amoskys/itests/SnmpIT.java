package io.amoskys.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.camel.util.json.DeserializationException;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The SNMP agent in the distribution: ten recorded devices served by a real snmpsim, configured by
 * dropping one file per device into etc/, polled concurrently, their events on the bus and their
 * health in amoskys:devices; a device removed and one added while running; a trap sent with
 * snmptrap arriving as an event.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SnmpIT {
    private static final int DEVICES = 10;

    private KarafInstance karaf;
    private Process simulator;
    private Path simulatorWork;
    private int simulatorPort;
    private int trapPort;
    private final List<String> communities = new ArrayList<>();

    @BeforeAll
    void boot() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/snmpsimd")) && Files.isExecutable(Path.of("/usr/bin/snmpget")),
                "snmpsimd and snmpget are needed: apt-get install -y snmpsim snmp (.ci/test does)");
        Path data = Path.of(System.getProperty("amoskys.pcapData")).resolveSibling("snmp").toAbsolutePath().normalize();
        for (String line : Files.readAllLines(data.resolve("MANIFEST.tsv"))) {
            String[] f = line.split("\t");
            if (!f[0].equals("file") && communities.size() < DEVICES + 1) {
                communities.add(f[7]);
            }
        }
        simulatorPort = Ports.freeUdp();
        trapPort = Ports.freeUdp();
        startSimulator(data);

        karaf = KarafInstance.unpack("snmp");
        for (int i = 0; i < DEVICES; i++) {
            writeDevice(i);
        }
        Files.writeString(karaf.home.resolve("etc/io.amoskys.agent.snmp.traps.cfg"), "address = 127.0.0.1\nport = " + trapPort
                + "\ncommunities = amoskys-traps\n");
        karaf.start();
        karaf.awaitAllActive();
        Files.writeString(karaf.routes().resolve("snmp-watch.yaml"), """
                - route:
                    id: snmp-watch
                    from:
                      uri: "amoskys:bus/snmp-watch?kinds=snmp"
                      steps:
                        - to: "log:io.amoskys.itests.snmp?showAll=false&showBody=true&showBodyType=false&showExchangePattern=false"
                """);
    }

    private void startSimulator(Path data) throws Exception {
        simulatorWork = Files.createTempDirectory("amoskys-snmpsim");
        Path cache = Files.createDirectories(simulatorWork.resolve("cache"));
        // snmpsimd started as root drops to nobody, who must be able to write its cache.
        Files.setPosixFilePermissions(simulatorWork, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> command = new ArrayList<>(List.of("/usr/bin/snmpsimd", "--data-dir=" + data, "--cache-dir=" + cache,
                "--agent-udpv4-endpoint=127.0.0.1:" + simulatorPort, "--logging-method=stdout"));
        if ("root".equals(System.getProperty("user.name"))) {
            command.add("--process-user=nobody");
            command.add("--process-group=nogroup");
        }
        simulator = new ProcessBuilder(command).redirectErrorStream(true).start();
        CountDownLatch listening = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(simulator.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.contains("Listening at")) {
                        listening.countDown();
                    }
                }
            } catch (IOException e) {
                // the simulator ended
            }
        }, "snmpsimd-output");
        reader.setDaemon(true);
        reader.start();
        assertTrue(listening.await(180, TimeUnit.SECONDS), "snmpsimd listens (it indexes the recordings first)");
    }

    private void writeDevice(int i) throws IOException {
        Files.writeString(karaf.home.resolve("etc/io.amoskys.agent.snmp-dev" + i + ".cfg"), """
                address = 127.0.0.1
                port = %d
                version = 2c
                community = %s
                pollIntervalSeconds = 5
                profiles = system,interfaces
                timeoutMillis = 3000
                retries = 1
                """.formatted(simulatorPort, communities.get(i)));
    }

    @AfterAll
    void stop() throws Exception {
        if (karaf != null) {
            karaf.close();
        }
        if (simulator != null) {
            simulator.destroy();
            simulator.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Names of the snmp devices in {@code state}, from amoskys:devices --no-format (padded, tab-separated). */
    private static List<String> deviceLines(String devices, String state) {
        return devices.lines().map(l -> l.split("\t")).filter(c -> c.length > 3 && c[0].strip().equals("snmp")
                && (state == null || c[3].strip().equals(state))).map(c -> c[1].strip()).toList();
    }

    private String snmpget(String community, String oid) throws Exception {
        // Standard error apart: net-snmp's first run on a machine notes there "Created directory: ...".
        Process p = new ProcessBuilder("/usr/bin/snmpget", "-v2c", "-c", community, "-Oqv", "127.0.0.1:" + simulatorPort, oid)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        return out.replaceAll("^\"|\"$", "");
    }

    @Test
    @Order(1)
    void tenRecordedDevicesArePolledConcurrentlyAndTheirValuesMatchSnmpget() throws Exception {
        String devices = Eventually.await("all " + DEVICES + " devices up", Duration.ofSeconds(90),
                () -> karaf.client("amoskys:devices --no-format"), out -> deviceLines(out, "up").size() == DEVICES);
        assertEquals(DEVICES, deviceLines(devices, "up").size(), devices);
        String agents = karaf.client("amoskys:agents --no-format");
        assertTrue(agents.lines().map(l -> l.split("\t")).anyMatch(c -> c.length > 2 && c[0].strip().equals("snmp")
                && c[2].strip().equals(DEVICES + "/" + DEVICES)), "amoskys:agents counts the devices up: " + agents);

        String agentLine = Eventually.await("snmp events in the bus's log", Duration.ofSeconds(60), () -> karaf.client("amoskys:bus"),
                out -> out.lines().anyMatch(l -> l.startsWith("agent snmp@")));
        assertTrue(agentLine.contains("envelopes"), agentLine);

        // The value each device's events carry is the one snmpget reads from the same simulator.
        for (int i : new int[] {0, 3, 7}) {
            String sysName = snmpget(communities.get(i), "1.3.6.1.2.1.1.5.0");
            String device = "dev" + i;
            Pattern event = Pattern.compile("TelemetryEvent\\[snmp@\\S+ snmp " + device + " \\{[^}]*sys_name=" + Pattern.quote(sysName));
            Eventually.await(device + "'s sysName " + sysName + " in an event", Duration.ofSeconds(60), karaf::log,
                    l -> event.matcher(l).find());
        }
        String metrics = karaf.httpGet("/metrics");
        Matcher polls = Pattern.compile("(?m)^amoskys_snmp_polls_total\\{device=\"dev0\"} (\\d+)").matcher(metrics);
        assertTrue(polls.find() && Long.parseLong(polls.group(1)) > 0, metrics);
    }

    /** agent/name of every device, with its state: from amoskys:devices --no-format, or the REST API's JSON. */
    private static Map<String, String> deviceStates(String shellOutput) {
        // A long last error wraps onto lines of its own, with empty leading columns.
        return shellOutput.lines().map(l -> l.split("\t")).filter(c -> c.length > 3 && !c[1].isBlank())
                .collect(Collectors.toMap(c -> c[0].strip() + "/" + c[1].strip(), c -> c[3].strip()));
    }

    private static Map<String, String> deviceStates(JsonArray json) {
        return json.stream().map(JsonObject.class::cast)
                .collect(Collectors.toMap(d -> d.getString("agent") + "/" + d.getString("name"), d -> d.getString("state")));
    }

    /**
     * "name bundle [id]" of every agent, with its state, devices up/all (- for none) and errors: from
     * amoskys:agents --no-format, or the REST API's JSON.
     */
    private static Map<String, String> agentRows(String shellOutput) {
        return shellOutput.lines().map(l -> l.split("\t")).filter(c -> c.length > 5).collect(Collectors.toMap(
                c -> c[0].strip() + " " + c[5].strip(),
                c -> c[1].strip() + " " + c[2].strip() + " " + c[4].strip()));
    }

    private static Map<String, String> agentRows(JsonArray json) {
        return json.stream().map(JsonObject.class::cast).collect(Collectors.toMap(
                a -> a.getString("name") + " " + a.getString("bundle") + " [" + a.getLong("bundleId") + "]",
                a -> a.getString("state") + " " + (a.getLong("devices") == 0 ? "-" : a.getLong("devicesUp") + "/" + a.getLong("devices"))
                        + " " + a.getLong("errors")));
    }

    private JsonArray restArray(String path, String authorization) {
        HttpResponse<String> response = karaf.http("GET", path, authorization, null);
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return parse(response.body(), JsonArray.class);
    }

    private static <T> T parse(String json, Class<T> type) {
        try {
            return type.cast(Jsoner.deserialize(json));
        } catch (DeserializationException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    @Test
    @Order(2)
    void theRestApiShowsReadersWhatTheShellShows() throws Exception {
        String admin = KarafInstance.basic("admin", karaf.initialAdminPassword());
        // Both are snapshots of live devices: the first pair taken together that agrees proves the same numbers.
        record Views(String shell, JsonArray rest) {}
        Views devices = Eventually.await("REST and amoskys:devices to agree", Duration.ofSeconds(30),
                () -> new Views(karaf.client("amoskys:devices --no-format"), restArray("/amoskys/api/v1/devices", admin)),
                v -> deviceStates(v.shell()).equals(deviceStates(v.rest())) && v.rest().size() >= DEVICES);
        Eventually.await("REST and amoskys:agents to agree", Duration.ofSeconds(30),
                () -> new Views(karaf.client("amoskys:agents --no-format"), restArray("/amoskys/api/v1/agents", admin)),
                v -> agentRows(v.shell()).equals(agentRows(v.rest()))
                        && agentRows(v.rest()).values().stream().anyMatch(a -> a.startsWith("active " + DEVICES + "/" + DEVICES + " ")));
        assertEquals(DEVICES, restArray("/amoskys/api/v1/devices?agent=snmp", admin).size());
        assertEquals(List.of(), restArray("/amoskys/api/v1/devices?agent=no-such-agent", admin));

        String address = devices.shell().lines().map(l -> l.split("\t"))
                .filter(c -> c.length > 3 && c[1].strip().equals("dev3")).map(c -> c[2].strip()).findFirst().orElseThrow();
        HttpResponse<String> one = karaf.http("GET", "/amoskys/api/v1/devices/snmp/dev3", admin, null);
        assertEquals(200, one.statusCode(), one.body());
        JsonObject dev3 = parse(one.body(), JsonObject.class);
        assertEquals(List.of("snmp", "dev3", address),
                List.of(dev3.getString("agent"), dev3.getString("name"), dev3.getString("address")));
        HttpResponse<String> unknown = karaf.http("GET", "/amoskys/api/v1/devices/snmp/no-such-device", admin, null);
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertTrue(parse(unknown.body(), JsonObject.class).getString("error").contains("no-such-device"), unknown.body());
        assertEquals(404, karaf.http("GET", "/amoskys/api/v1/no-such-resource", admin, null).statusCode());
        assertEquals(405, karaf.http("DELETE", "/amoskys/api/v1/devices/snmp/dev3", admin, null).statusCode());

        HttpResponse<String> anonymous = karaf.http("GET", "/amoskys/api/v1/devices", Map.of(), null);
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        assertEquals("Basic realm=\"amoskys\"", anonymous.headers().firstValue("WWW-Authenticate").orElse(null));
        String outsider = UUID.randomUUID().toString();
        String operator = UUID.randomUUID().toString();
        karaf.addUsers("outsider " + outsider, "ops " + operator + " operator");
        HttpResponse<String> forbidden = karaf.http("GET", "/amoskys/api/v1/agents", KarafInstance.basic("outsider", outsider), null);
        assertEquals(403, forbidden.statusCode(), "a user without viewer, operator or admin: " + forbidden.body());
        assertEquals(200, karaf.http("GET", "/amoskys/api/v1/agents", KarafInstance.basic("ops", operator), null).statusCode(),
                "operator is a reading role");
    }

    @Test
    @Order(3)
    void aDeviceRemovedAndOneAddedWhileRunningChangeWhatIsPolled() throws Exception {
        Files.delete(karaf.home.resolve("etc/io.amoskys.agent.snmp-dev9.cfg"));
        writeDevice(DEVICES); // dev10
        String devices = Eventually.await("dev9 gone and dev10 up", Duration.ofSeconds(90),
                () -> karaf.client("amoskys:devices --no-format"),
                out -> !deviceLines(out, null).contains("dev9") && deviceLines(out, "up").contains("dev10"));
        assertEquals(DEVICES, deviceLines(devices, "up").size(), devices);
    }

    @Test
    @Order(4)
    void aTrapSentWithSnmptrapArrivesAsAnEvent() throws Exception {
        Process trap = new ProcessBuilder("/usr/bin/snmptrap", "-v2c", "-c", "amoskys-traps", "127.0.0.1:" + trapPort, "",
                "1.3.6.1.6.3.1.1.5.3", "1.3.6.1.2.1.2.2.1.1.7", "i", "7").redirectErrorStream(true).start();
        String out = new String(trap.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, trap.waitFor(), out);
        Eventually.await("the linkDown trap as an event", Duration.ofSeconds(60), karaf::log,
                l -> l.contains("type=trap") && l.contains("1.3.6.1.6.3.1.1.5.3"));
    }
}
