package io.amoskys.agent.snmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.agent.snmp.poll.ErrorReason;
import io.amoskys.agent.snmp.support.EventCollector;
import io.amoskys.agent.snmp.support.NetSnmpAgent;
import io.amoskys.agent.snmp.support.Peers;
import io.amoskys.api.admin.DeviceDTO;
import io.amoskys.api.event.TelemetryEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SNMPv3 authPriv (SHA-256, AES-128) against a real net-snmp snmpd configured by the test, the
 * values checked against net-snmp's own snmpget; wrong credentials reported in clear words.
 */
class SnmpV3Test {
    private static NetSnmpAgent snmpd;
    private SnmpAgent agent;
    private final EventCollector events = new EventCollector();

    @BeforeAll
    static void startSnmpd() throws Exception {
        snmpd = NetSnmpAgent.start("""
                createUser amoskys SHA-256 authpass123 AES privpass123
                createUser legacy SHA legacypass1 AES legacypriv1
                rouser amoskys priv
                rouser legacy priv
                """);
    }

    @AfterAll
    static void stopSnmpd() throws Exception {
        if (snmpd != null) {
            snmpd.close();
        }
    }

    @BeforeEach
    void startAgent() throws Exception {
        agent = TestAgents.agent();
        agent.subscribe(events);
    }

    @AfterEach
    void stopAgent() throws Exception {
        TestAgents.close(agent);
    }

    private static Map<String, Object> v3(String name, String user, String auth, String authPassword, String priv, String privPassword) {
        Map<String, Object> p = new HashMap<>();
        p.put("service.pid", DeviceSettings.PID + "~" + name);
        p.put("name", name);
        p.put("address", "127.0.0.1");
        p.put("port", String.valueOf(snmpd.port()));
        p.put("version", "3");
        p.put("user", user);
        p.put("authProtocol", auth);
        p.put("authPassword", authPassword);
        p.put("privProtocol", priv);
        p.put("privPassword", privPassword);
        p.put("profiles", "system,interfaces,ip,tcp,udp,icmp,host-resources");
        p.put("pollIntervalSeconds", "3600");
        p.put("timeoutMillis", "1000");
        p.put("retries", "0");
        return p;
    }

    private static String snmpget(String oid) throws Exception {
        return Peers.ok("snmpget", "-v3", "-l", "authPriv", "-u", "amoskys", "-a", "SHA-256", "-A", "authpass123", "-x", "AES",
                "-X", "privpass123", "-On", "-Oqv", "127.0.0.1:" + snmpd.port(), oid);
    }

    @Test
    void authPrivPollReadsWhatSnmpgetReads() throws Exception {
        long inOctetsBefore = Long.parseLong(snmpget(".1.3.6.1.2.1.2.2.1.10.1"));
        TestAgents.configure(agent, v3("router", "amoskys", "SHA-256", "authpass123", "AES", "privpass123"));
        PollReport report = agent.pollNow("router").get(30, TimeUnit.SECONDS);
        long inOctetsAfter = Long.parseLong(snmpget(".1.3.6.1.2.1.2.2.1.10.1"));
        assertTrue(report.answered(), report.toString());
        assertTrue(report.problems().isEmpty(), report.toString());

        TelemetryEvent system = events.await("system profile", e -> "system".equals(e.labels().get("profile")), Duration.ofSeconds(10));
        assertEquals(snmpget(".1.3.6.1.2.1.1.5.0").replace("\"", ""), system.labels().get("sys_name"));
        assertEquals(snmpget(".1.3.6.1.2.1.1.1.0").replace("\"", ""), system.labels().get("sys_descr"));
        assertTrue(system.metrics().get("latency_s") > 0, system.toString());

        // The loopback interface's ifInOctets moves (the test's own SNMP traffic): it must lie between two snmpgets.
        TelemetryEvent lo = events.await("interface 1", e -> "router/1".equals(e.entityId()), Duration.ofSeconds(10));
        double polled = lo.metrics().get("in_octets");
        assertTrue(polled >= inOctetsBefore && polled <= inOctetsAfter,
                inOctetsBefore + " <= " + polled + " <= " + inOctetsAfter + " (ifInOctets.1, 32-bit: snmpd has no ifHCInOctets for lo? "
                        + lo + ")");
        assertEquals(snmpget(".1.3.6.1.2.1.2.2.1.2.1").replace("\"", ""), lo.labels().get("if_descr"));

        TelemetryEvent tcp = events.await("tcp profile", e -> "tcp".equals(e.labels().get("profile")), Duration.ofSeconds(10));
        assertNotNull(tcp.metrics().get("tcp_in_segs"), "tcpHCInSegs is missing on snmpd, tcpInSegs is the fallback: " + tcp);
        TelemetryEvent hr = events.await("host-resources profile", e -> "host-resources".equals(e.labels().get("profile")),
                Duration.ofSeconds(10));
        assertTrue(hr.metrics().get("hr_memory_size_bytes") > 0, hr.toString());
        TelemetryEvent storage = events.await("an hrStorage row", e -> "storage".equals(e.labels().get("table")), Duration.ofSeconds(10));
        assertTrue(storage.metrics().containsKey("size_bytes"), storage.toString());

        DeviceDTO health = agent.devices().get(0);
        assertEquals("up", health.state);
        assertEquals(0, health.errors);
        assertTrue(health.latencyMillis > 0);
    }

    @Test
    void secondUserWithOtherProtocolsPollsBesideTheFirst() throws Exception {
        TestAgents.configure(agent, v3("router", "amoskys", "SHA-256", "authpass123", "AES", "privpass123"));
        TestAgents.configure(agent, v3("legacy", "legacy", "SHA", "legacypass1", "AES", "legacypriv1"));
        assertTrue(agent.pollNow("router").get(30, TimeUnit.SECONDS).answered());
        assertTrue(agent.pollNow("legacy").get(30, TimeUnit.SECONDS).answered());
    }

    @Test
    void wrongAuthPasswordIsReportedAsAuthenticationFailure() throws Exception {
        TestAgents.configure(agent, v3("router", "amoskys", "SHA-256", "wrongpass123", "AES", "privpass123"));
        PollReport report = agent.pollNow("router").get(30, TimeUnit.SECONDS);
        assertFalse(report.answered());
        assertEquals(ErrorReason.AUTHENTICATION, report.failureReason(), report.toString());
        assertEquals("authentication failure (wrong v3 user or password)", report.failure());
        DeviceDTO health = agent.devices().get(0);
        assertEquals("error", health.state);
        assertEquals("authentication failure (wrong v3 user or password)", health.lastError);
        assertEquals(1, health.errors);
        TelemetryEvent state = events.await("state change", e -> "state".equals(e.labels().get("type")), Duration.ofSeconds(10));
        assertEquals("error", state.labels().get("state"));
        StringBuilder metrics = new StringBuilder();
        agent.writePrometheus(metrics);
        assertTrue(metrics.toString().contains("amoskys_snmp_errors_total{device=\"router\",reason=\"authentication\"} 1"), metrics.toString());
    }

    @Test
    void wrongAuthProtocolIsAnAuthenticationFailureToo() throws Exception {
        TestAgents.configure(agent, v3("router", "amoskys", "SHA", "authpass123", "AES", "privpass123"));
        PollReport report = agent.pollNow("router").get(30, TimeUnit.SECONDS);
        assertEquals(ErrorReason.AUTHENTICATION, report.failureReason(), report.toString());
    }

    @Test
    void unknownUserIsNamed() throws Exception {
        TestAgents.configure(agent, v3("router", "intruder", "SHA-256", "authpass123", "AES", "privpass123"));
        PollReport report = agent.pollNow("router").get(30, TimeUnit.SECONDS);
        assertEquals(ErrorReason.UNKNOWN_USER, report.failureReason(), report.toString());
        assertEquals("authentication failure (unknown v3 user 'intruder')", report.failure());
    }

    @Test
    void wrongPrivacyPasswordTimesOutWithAHint() throws Exception {
        // net-snmp does not answer a request it cannot decrypt: all we can say is "no answer" and why that may be.
        TestAgents.configure(agent, v3("router", "amoskys", "SHA-256", "authpass123", "AES", "wrongpriv123"));
        PollReport report = agent.pollNow("router").get(30, TimeUnit.SECONDS);
        assertEquals(ErrorReason.TIMEOUT, report.failureReason(), report.toString());
        assertTrue(report.failure().contains("wrong v3 privacy password"), report.failure());
        assertEquals("down", agent.devices().get(0).state);
    }

    @Test
    void sameUserWithOtherPasswordsIsRejectedUnlessEngineIdsAreGiven() {
        TestAgents.configure(agent, v3("router", "amoskys", "SHA-256", "authpass123", "AES", "privpass123"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TestAgents.configure(agent, v3("other", "amoskys", "SHA-256", "otherpass123", "AES", "privpass123")));
        assertTrue(e.getMessage().contains("engineId"), e.getMessage());
        assertEquals(1, agent.deviceNames().size());
    }
}
