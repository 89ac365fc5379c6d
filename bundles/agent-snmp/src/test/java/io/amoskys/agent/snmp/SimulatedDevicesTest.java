package io.amoskys.agent.snmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.agent.snmp.support.EventCollector;
import io.amoskys.agent.snmp.support.Peers;
import io.amoskys.agent.snmp.support.Simulator;
import io.amoskys.api.admin.DeviceDTO;
import io.amoskys.api.event.TelemetryEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The recordings of real devices in ../shared/data/snmp (MANIFEST.tsv), served by a real snmpsim
 * on two endpoints, all polled at once by one agent with every profile; what the agent reports is
 * checked against net-snmp's snmpget and snmpwalk of the same simulator.
 */
class SimulatedDevicesTest {
    private static final String IF_IN_OCTETS = ".1.3.6.1.2.1.2.2.1.10";
    private static final String IF_HC_IN_OCTETS = ".1.3.6.1.2.1.31.1.1.1.6";

    private static Simulator simulator;
    private static SnmpAgent agent;
    private static final EventCollector events = new EventCollector();
    /** Device name (the recording's community) → the simulator endpoint serving it. */
    private static final Map<String, Integer> devices = new LinkedHashMap<>();
    private static final Map<String, PollReport> reports = new HashMap<>();

    static Path data() {
        return Path.of(System.getProperty("amoskys.snmpData", "../../../shared/data/snmp")).toAbsolutePath().normalize();
    }

    @BeforeAll
    static void pollEveryRecording() throws Exception {
        Path data = data();
        assertTrue(Files.isRegularFile(data.resolve("MANIFEST.tsv")), "the shared SNMP recordings are missing at " + data);
        simulator = Simulator.start(List.of(data), List.of(), 2);
        agent = TestAgents.agent();
        agent.subscribe(events);
        List<String> communities = Files.readAllLines(data.resolve("MANIFEST.tsv")).stream()
                .filter(l -> !l.startsWith("file\t") && !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("\t")[7]).toList();
        assertTrue(communities.size() >= 10, "MANIFEST.tsv lists " + communities.size() + " recordings");
        for (int i = 0; i < communities.size(); i++) {
            String community = communities.get(i);
            int port = simulator.port(i % 2);
            devices.put(community, port);
            Map<String, Object> p = TestAgents.v2c(community, port, community, "system,interfaces,ip,tcp,udp,icmp,host-resources");
            p.put("timeoutMillis", "5000");
            p.put("retries", "2");
            TestAgents.configure(agent, p); // each starts its first poll: they all run at once
        }
        Map<String, CompletableFuture<PollReport>> polls = new LinkedHashMap<>();
        devices.keySet().forEach(d -> polls.put(d, agent.pollNow(d)));
        CompletableFuture.allOf(polls.values().toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
        for (Map.Entry<String, CompletableFuture<PollReport>> e : polls.entrySet()) {
            reports.put(e.getKey(), e.getValue().get());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        TestAgents.close(agent);
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void everyDeviceAnswered() {
        assertTrue(devices.size() >= 10, devices.keySet().toString());
        for (String d : devices.keySet()) {
            PollReport r = reports.get(d);
            assertTrue(r.answered(), r.toString());
            assertTrue(r.events() > 0, r.toString());
            assertTrue(r.latencySeconds() > 0, r.toString());
        }
        List<DeviceDTO> health = agent.devices();
        assertEquals(devices.size(), health.size());
        health.forEach(h -> System.out.printf("%-45s %-6s %6.1f ms %3d errors %s%n", h.name, h.state, h.latencyMillis, h.errors,
                h.lastError == null ? "" : h.lastError));
        for (DeviceDTO h : health) {
            assertEquals("up", h.state, h.name + ": " + h.lastError);
            assertEquals(0, h.errors, h.name + ": " + h.lastError);
            assertTrue(h.lastSeenMillis > 0 && h.latencyMillis > 0, h.name);
            assertTrue(h.eventsPerSecond > 0, h.name);
        }
        StringBuilder metrics = new StringBuilder();
        agent.writePrometheus(metrics);
        for (String d : devices.keySet()) {
            assertTrue(metrics.toString().contains("amoskys_snmp_polls_total{device=\"" + d + "\"} 1"), d + " in " + metrics);
        }
    }

    @Test
    void systemValuesMatchSnmpget() throws Exception {
        int uptimes = 0;
        for (Map.Entry<String, Integer> d : devices.entrySet()) {
            String device = d.getKey();
            TelemetryEvent system = events.await(device + " system", e -> e.entityId().equals(device) && "system".equals(e.labels().get("profile")),
                    Duration.ofSeconds(10));
            String sysName = snmpget(device, d.getValue(), ".1.3.6.1.2.1.1.5.0");
            if (sysName.startsWith("No Such")) {
                assertFalse(system.labels().containsKey("sys_name"), system.toString());
                assertTrue(system.labels().get("missing").contains("sys_name"), "missing, not empty: " + system);
            } else if (printable(sysName)) {
                assertEquals(unquote(sysName), system.labels().get("sys_name"), device);
            }
            String objectId = snmpget(device, d.getValue(), ".1.3.6.1.2.1.1.2.0");
            if (objectId.startsWith(".")) {
                assertEquals(objectId.substring(1), system.labels().get("sys_object_id"), device);
            }
            String uptime = snmpget(device, d.getValue(), "-Ot", ".1.3.6.1.2.1.1.3.0");
            if (recordedAsIs(device, "1.3.6.1.2.1.1.3.0") && uptime.matches("\\d+")) { // not a simulated moving uptime
                assertEquals(Long.parseLong(uptime) / 100.0, system.metrics().get("sys_uptime_s"), 1e-9, device);
                uptimes++;
            }
        }
        assertTrue(uptimes >= 10, "uptimes compared: " + uptimes);
    }

    /** Whether the recording serves this object as recorded (no variation module changes it). */
    private static boolean recordedAsIs(String device, String oid) throws java.io.IOException {
        return Files.readAllLines(data().resolve(device + ".snmprec")).stream()
                .anyMatch(l -> l.startsWith(oid + "|") && l.split("\\|")[1].matches("\\d+"));
    }

    @Test
    void interfaceCountersMatchSnmpwalk() throws Exception {
        int checked = 0;
        for (Map.Entry<String, Integer> d : devices.entrySet()) {
            String device = d.getKey();
            Map<String, String> expected = walk(device, d.getValue(), IF_IN_OCTETS);
            expected.putAll(walk(device, d.getValue(), IF_HC_IN_OCTETS)); // the 64-bit counter wins where there is one
            for (Map.Entry<String, String> row : expected.entrySet()) {
                if (!row.getValue().matches("\\d+")) {
                    continue; // a recorded value of another type: the agent reports it as a wrong type
                }
                TelemetryEvent e = events.await(device + "/" + row.getKey(), ev -> ev.entityId().equals(device + "/" + row.getKey()),
                        Duration.ofSeconds(10));
                if (e.metrics().containsKey("in_octets")) {
                    assertEquals(Double.parseDouble(row.getValue()), e.metrics().get("in_octets"), 0.0, e.toString());
                    checked++;
                }
            }
        }
        assertTrue(checked >= 100, "interface counters compared: " + checked);
    }

    @Test
    void missingObjectsAreReportedAsMissingNotZero() throws Exception {
        // The Hikvision camera's recording has 34 objects and no sysDescr.
        String device = "camera__hikvision";
        assertTrue(snmpget(device, devices.get(device), ".1.3.6.1.2.1.1.1.0").startsWith("No Such"));
        TelemetryEvent system = events.await("hikvision system", e -> e.entityId().equals(device) && "system".equals(e.labels().get("profile")),
                Duration.ofSeconds(10));
        assertTrue(system.labels().get("missing").contains("sys_descr"), system.toString());
        assertFalse(system.labels().containsKey("sys_descr"));
        TelemetryEvent tcp = events.await("hikvision tcp", e -> e.entityId().equals(device) && "tcp".equals(e.labels().get("profile")),
                Duration.ofSeconds(10));
        assertFalse(tcp.metrics().containsKey("tcp_in_segs"), "no value, not 0: " + tcp);
        assertTrue(tcp.metrics().get("missing_objects") >= 10, tcp.toString());
        assertTrue(reports.get(device).missingObjects() > 0);
    }

    @Test
    void addingChangingAndRemovingADeviceConfigurationChangesWhatIsPolled() throws Exception {
        EventCollector events = new EventCollector(); // its own: this test forgets events, the others must not
        io.amoskys.api.Agent.Subscription subscription = agent.subscribe(events);
        try {
            changeConfiguration(events);
        } finally {
            subscription.close();
        }
    }

    private static void changeConfiguration(EventCollector events) throws Exception {
        String name = "configured-xp";
        Map<String, Object> p = TestAgents.v2c(name, simulator.port(0), "os-windows__XP", "system");
        p.remove("name");
        p.put("felix.fileinstall.filename", "file:/opt/karaf/etc/io.amoskys.agent.snmp-" + name + ".cfg"); // the name comes from the file
        p.put("pollIntervalSeconds", "1");
        SnmpDeviceConfiguration config = new SnmpDeviceConfiguration(agent, p);
        assertTrue(agent.deviceNames().contains(name));
        TelemetryEvent first = events.await("first poll", e -> e.entityId().equals(name) && "system".equals(e.labels().get("profile")),
                Duration.ofSeconds(10));
        TelemetryEvent second = events.await("a scheduled poll a second later", e -> e.entityId().equals(name)
                && "system".equals(e.labels().get("profile")) && e.sequence() > first.sequence(), Duration.ofSeconds(10));
        assertTrue(second.timestampNanos() - first.timestampNanos() >= 500_000_000L, "polled on its interval");

        p.put("profiles", "system,tcp");
        config.modified(p);
        events.await("the added tcp profile", e -> e.entityId().equals(name) && "tcp".equals(e.labels().get("profile")), Duration.ofSeconds(10));

        config.deactivate();
        long removedAt = io.amoskys.agent.snmp.event.EventFactory.nowNanos();
        assertFalse(agent.deviceNames().contains(name));
        assertTrue(agent.devices().stream().noneMatch(d -> d.name.equals(name)));
        ExecutionException gone = assertThrows(ExecutionException.class, () -> agent.pollNow(name).get(5, TimeUnit.SECONDS));
        assertTrue(gone.getCause().getMessage().contains("no SNMP device named"), gone.getCause().getMessage());
        // Events of a poll that ended before the removal may still be on their way; none may be from a later poll.
        assertFalse(events.arrives(e -> e.entityId().equals(name) && e.timestampNanos() > removedAt, Duration.ofMillis(2500)),
                "no poll after the configuration is removed");

        Map<String, Object> bad = new HashMap<>(p);
        bad.put("version", "1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SnmpDeviceConfiguration(agent, bad));
        assertEquals("io.amoskys.agent.snmp: version '1' is not supported: use 2c or 3", e.getMessage());
    }

    private static String snmpget(String community, int port, String... args) throws Exception {
        List<String> c = new ArrayList<>(List.of("snmpget", "-v2c", "-c", community, "-On", "-Oqv", "-t", "5", "127.0.0.1:" + port));
        c.addAll(List.of(args));
        return Peers.ok(c.toArray(String[]::new));
    }

    /** snmpwalk of one column: row index → value. */
    private static Map<String, String> walk(String community, int port, String column) throws Exception {
        Map<String, String> rows = new LinkedHashMap<>();
        String out = Peers.ok("snmpwalk", "-v2c", "-c", community, "-On", "-Oq", "-t", "5", "127.0.0.1:" + port, column);
        for (String line : out.split("\n")) {
            if (line.startsWith(column + ".")) {
                int space = line.indexOf(' ');
                rows.put(line.substring(column.length() + 1, space), line.substring(space + 1).trim());
            }
        }
        return rows;
    }

    private static boolean printable(String s) {
        return s.startsWith("\"") && s.chars().allMatch(c -> c >= 32 && c < 127);
    }

    private static String unquote(String s) {
        return s.substring(1, s.length() - 1).replace("\\\"", "\"");
    }
}
