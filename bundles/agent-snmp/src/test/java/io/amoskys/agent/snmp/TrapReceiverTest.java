package io.amoskys.agent.snmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.agent.snmp.support.EventCollector;
import io.amoskys.agent.snmp.support.Peers;
import io.amoskys.agent.snmp.trap.SnmpTrapReceiverComponentAccess;
import io.amoskys.api.event.TelemetryEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Traps and informs sent with net-snmp's snmptrap and snmpinform arrive as events; bad ones are counted, not reported. */
class TrapReceiverTest {
    private static final String LINK_DOWN = "1.3.6.1.6.3.1.1.5.3";
    private static final String LINK_UP = "1.3.6.1.6.3.1.1.5.4";
    private static final String IF_DESCR_2 = "1.3.6.1.2.1.2.2.1.2.2";

    private SnmpAgent agent;
    private SnmpTrapReceiverComponentAccess.Receiver receiver;
    private final EventCollector events = new EventCollector();

    @BeforeEach
    void start() throws Exception {
        Peers.require("snmptrap", "snmp");
        agent = TestAgents.agent();
        agent.subscribe(events);
        receiver = TestAgents.traps(agent, Map.of("port", "0", "communities", "public,ops", "v3User", "trapper",
                "v3AuthProtocol", "SHA-256", "v3AuthPassword", "trapauth123", "v3PrivProtocol", "AES", "v3PrivPassword", "trappriv123"));
    }

    @AfterEach
    void stop() throws Exception {
        if (receiver != null) {
            receiver.close();
        }
        TestAgents.close(agent);
    }

    private String target() {
        return "127.0.0.1:" + receiver.port();
    }

    private List<String> v2c(String tool, String community, String trapOid, String ifDescr) {
        return new ArrayList<>(List.of(tool, "-v2c", "-c", community, "-t", "3", "-r", "0", target(), "", trapOid,
                "1.3.6.1.2.1.2.2.1.1.2", "i", "2", IF_DESCR_2, "s", ifDescr));
    }

    private List<String> v3(String tool, String engineId, String authPassword, String trapOid, String ifDescr) {
        List<String> c = new ArrayList<>(List.of(tool, "-v3", "-u", "trapper", "-l", "authPriv", "-a", "SHA-256", "-A", authPassword,
                "-x", "AES", "-X", "trappriv123", "-t", "3", "-r", "0"));
        if (engineId != null) {
            c.addAll(List.of("-e", engineId));
        }
        c.addAll(List.of(target(), "", trapOid, IF_DESCR_2, "s", ifDescr));
        return c;
    }

    private TelemetryEvent awaitTrap(String ifDescr) throws InterruptedException {
        return events.await("trap with ifDescr " + ifDescr, e -> "trap".equals(e.labels().get("type"))
                && ifDescr.equals(e.labels().get("vb." + IF_DESCR_2)), Duration.ofSeconds(10));
    }

    @Test
    void v2cTrapArrivesAsEvent() throws Exception {
        Peers.ok(v2c("snmptrap", "public", LINK_DOWN, "eth1").toArray(String[]::new));
        TelemetryEvent e = awaitTrap("eth1");
        assertEquals("snmp", e.kind());
        assertEquals(LINK_DOWN, e.labels().get("trap_oid"));
        assertEquals("2c", e.labels().get("version"));
        assertEquals("trap", e.labels().get("pdu"));
        assertEquals("trap/127.0.0.1", e.entityId(), "no configured device has this address");
        assertEquals("2", e.labels().get("vb.1.3.6.1.2.1.2.2.1.1.2"));
        assertTrue(e.metrics().get("sys_uptime_s") >= 0, e.toString());
        assertFalse(e.labels().values().contains("public"), "the community is a secret: " + e);
        assertTrue(receiver.metrics().contains("amoskys_snmp_traps_total{version=\"2c\",pdu=\"trap\"} 1"), receiver.metrics());
    }

    @Test
    void aSysUpTimeThatIsNoTimeTicksLosesNothing() throws Exception {
        // snmptrap writes sysUpTime.0 as TimeTicks; a second one, as a string, is what a broken or
        // hostile sender may put there.
        List<String> trap = v2c("snmptrap", "public", LINK_DOWN, "odd-uptime");
        trap.addAll(List.of("1.3.6.1.2.1.1.3.0", "s", "not-ticks"));
        Peers.ok(trap.toArray(String[]::new));
        TelemetryEvent e = awaitTrap("odd-uptime");
        assertEquals(LINK_DOWN, e.labels().get("trap_oid"));
        assertEquals("not-ticks", e.labels().get("vb.1.3.6.1.2.1.1.3.0"), "kept as a varbind: " + e);
        assertTrue(e.metrics().get("sys_uptime_s") >= 0, "the TimeTicks one is the uptime: " + e);
        assertTrue(receiver.metrics().contains("amoskys_snmp_traps_total{version=\"2c\",pdu=\"trap\"} 1"), receiver.metrics());
    }

    @Test
    void v2cInformIsAcknowledged() throws Exception {
        // snmpinform exits 0 only when the receiver acknowledged the inform.
        Peers.Run run = Peers.run(v2c("snmpinform", "ops", LINK_UP, "eth2").toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.toString());
        TelemetryEvent e = awaitTrap("eth2");
        assertEquals("inform", e.labels().get("pdu"));
        assertEquals(LINK_UP, e.labels().get("trap_oid"));
    }

    @Test
    void v3AuthPrivTrapAndInformArrive() throws Exception {
        Peers.ok(v3("snmptrap", "0x8000000001020304", "trapauth123", LINK_DOWN, "eth3").toArray(String[]::new));
        TelemetryEvent trap = awaitTrap("eth3");
        assertEquals("3", trap.labels().get("version"));
        assertEquals("trapper", trap.labels().get("user"));
        Peers.Run inform = Peers.run(v3("snmpinform", null, "trapauth123", LINK_UP, "eth4").toArray(String[]::new));
        assertEquals(0, inform.exitCode(), "the v3 inform was acknowledged: " + inform);
        assertEquals("inform", awaitTrap("eth4").labels().get("pdu"));
    }

    @Test
    void badCommunityAndWrongV3PasswordAreRejectedAndCounted() throws Exception {
        Peers.ok(v2c("snmptrap", "guessed", LINK_DOWN, "bad-community").toArray(String[]::new));
        Peers.ok(v3("snmptrap", "0x8000000001020305", "wrongpass123", LINK_DOWN, "bad-password").toArray(String[]::new));
        // A good trap after them: the receiver handles datagrams in order, so when it arrived the bad ones were handled.
        Peers.ok(v2c("snmptrap", "public", LINK_DOWN, "marker").toArray(String[]::new));
        awaitTrap("marker");
        assertEquals(1, receiver.counters().rejectedCount("bad-community"), receiver.metrics());
        assertEquals(1, receiver.counters().rejectedCount("authentication"), receiver.metrics());
        assertTrue(events.all().stream().noneMatch(e -> e.labels().containsValue("bad-community") || e.labels().containsValue("bad-password")));
        assertTrue(receiver.metrics().contains("amoskys_snmp_traps_rejected_total{reason=\"bad-community\"} 1"), receiver.metrics());
    }

    @Test
    void trapFromAConfiguredDeviceIsThatDevicesEvent() throws Exception {
        int silent = Peers.freeUdpPort();
        Map<String, Object> device = TestAgents.v2c("edge-router", silent, "public", "system");
        device.put("timeoutMillis", "100");
        device.put("retries", "0");
        TestAgents.configure(agent, device);
        agent.pollNow("edge-router").get(10, TimeUnit.SECONDS); // nobody answers there: the device is down, but its address is known
        Peers.ok(v2c("snmptrap", "public", LINK_DOWN, "eth5").toArray(String[]::new));
        TelemetryEvent e = awaitTrap("eth5");
        assertEquals("edge-router", e.entityId());
        assertEquals("edge-router", e.labels().get("device"));
        assertTrue(agent.devices().get(0).lastSeenMillis > 0, "a trap is a sign of life");
    }
}
