package io.amoskys.agent.snmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.agent.snmp.support.EventCollector;
import io.amoskys.agent.snmp.support.Peers;
import io.amoskys.agent.snmp.support.Simulator;
import io.amoskys.api.event.TelemetryEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.TimeTicks;

/**
 * Rates across a Counter32 wrap, a reboot and a Counter64 reset, against a real snmpsim whose
 * values the test sets (snmpsim's writecache variation module) between polls, so every expected
 * number is exact: the rate times the interval the event reports is the counter's true increase.
 */
class CounterWrapRebootTest {
    private static final OID SYS_UPTIME = new OID("1.3.6.1.2.1.1.3.0");
    private static final OID IF_IN_OCTETS_1 = new OID("1.3.6.1.2.1.2.2.1.10.1");
    private static final OID IF_HC_OUT_OCTETS_1 = new OID("1.3.6.1.2.1.31.1.1.1.10.1");

    private static Simulator simulator;
    private static SnmpAgent agent;
    private static final EventCollector events = new EventCollector();

    @BeforeAll
    static void start() throws Exception {
        simulator = Simulator.start(List.of(), List.of("counters.snmprec"), 1);
        agent = TestAgents.agent();
        agent.subscribe(events);
    }

    @AfterAll
    static void stop() throws Exception {
        TestAgents.close(agent);
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void ratesAcrossCounter32WrapRebootAndCounter64Reset() throws Exception {
        set(SYS_UPTIME, new TimeTicks(100_000), IF_IN_OCTETS_1, new Counter32(4_294_967_000L),
                IF_HC_OUT_OCTETS_1, new Counter64(5_000_000_000L));
        TestAgents.configure(agent, TestAgents.v2c("counters", simulator.port(0), "counters", "system,interfaces"));
        PollReport first = agent.pollNow("counters").get(30, TimeUnit.SECONDS);
        assertTrue(first.answered(), first.toString());
        TelemetryEvent e1 = row(4_294_967_000.0);
        assertEquals("eth0", e1.labels().get("if_name"));
        assertEquals("1", e1.labels().get("if_index"));
        assertFalse(e1.metrics().containsKey("in_octets_rate"), "a first reading has no rate: " + e1);
        assertEquals("4294967000", snmpget(IF_IN_OCTETS_1), "the agent read what snmpget reads");

        // Counter32 wraps: 4294967000 -> 200 is 496 octets, not minus 4294966800.
        set(SYS_UPTIME, new TimeTicks(100_500), IF_IN_OCTETS_1, new Counter32(200), IF_HC_OUT_OCTETS_1, new Counter64(5_000_001_000L));
        agent.pollNow("counters").get(30, TimeUnit.SECONDS);
        TelemetryEvent e2 = row(200.0);
        assertEquals("200", snmpget(IF_IN_OCTETS_1));
        double interval = e2.metrics().get("interval_s");
        assertTrue(interval > 0, e2.toString());
        assertEquals(496.0, e2.metrics().get("in_octets_rate") * interval, 1e-6, e2.toString());
        assertEquals("in_octets", e2.labels().get("counter_wrap"));
        assertEquals(1000.0, e2.metrics().get("out_octets_rate") * interval, 1e-6, "Counter64 ifHCOutOctets: " + e2);
        assertEquals(5_000_001_000.0, e2.metrics().get("out_octets"));
        assertEquals("none", e2.labels().get("discontinuity"));
        assertEquals(1005.0, e2.metrics().get("sys_uptime_s"));

        // Reboot: sysUpTime goes backwards, counters restart; no rate may cross it.
        set(SYS_UPTIME, new TimeTicks(50), IF_IN_OCTETS_1, new Counter32(10), IF_HC_OUT_OCTETS_1, new Counter64(20));
        agent.pollNow("counters").get(30, TimeUnit.SECONDS);
        TelemetryEvent reboot = events.await("type=reboot", e -> "reboot".equals(e.labels().get("type")), Duration.ofSeconds(10));
        assertEquals("counters", reboot.entityId());
        assertEquals(1005.0, reboot.metrics().get("previous_sys_uptime_s"));
        assertEquals(0.5, reboot.metrics().get("sys_uptime_s"));
        TelemetryEvent e3 = row(10.0);
        assertEquals("reboot", e3.labels().get("discontinuity"));
        assertFalse(e3.metrics().containsKey("in_octets_rate"), "no rate across a reboot: " + e3);
        assertFalse(e3.metrics().containsKey("out_octets_rate"), "no rate across a reboot: " + e3);
        assertEquals(1, agent.health("counters").orElseThrow().reboots());

        // After the reboot rates resume; a Counter64 going backwards without a reboot is a reset, not a rate.
        set(SYS_UPTIME, new TimeTicks(150), IF_IN_OCTETS_1, new Counter32(110), IF_HC_OUT_OCTETS_1, new Counter64(5));
        agent.pollNow("counters").get(30, TimeUnit.SECONDS);
        TelemetryEvent e4 = row(110.0);
        assertEquals(100.0, e4.metrics().get("in_octets_rate") * e4.metrics().get("interval_s"), 1e-6, e4.toString());
        assertEquals("out_octets", e4.labels().get("counter_reset"));
        assertFalse(e4.metrics().containsKey("out_octets_rate"), e4.toString());
        assertEquals("none", e4.labels().get("discontinuity"));
        assertEquals("up", agent.devices().get(0).state);

        StringBuilder metrics = new StringBuilder();
        agent.writePrometheus(metrics);
        assertTrue(metrics.toString().contains("amoskys_snmp_reboots_total{device=\"counters\"} 1"), metrics.toString());
        assertTrue(metrics.toString().contains("amoskys_snmp_counter_wraps_total{device=\"counters\"} 1"), metrics.toString());
        assertTrue(metrics.toString().contains("amoskys_snmp_polls_total{device=\"counters\"} 4"), metrics.toString());
    }

    private static TelemetryEvent row(double inOctets) throws InterruptedException {
        return events.await("counters/1 with in_octets=" + inOctets,
                e -> e.entityId().equals("counters/1") && Double.valueOf(inOctets).equals(e.metrics().get("in_octets")),
                Duration.ofSeconds(10));
    }

    private static String snmpget(OID oid) throws Exception {
        return Peers.ok("snmpget", "-v2c", "-c", "counters", "-On", "-Oqv", "127.0.0.1:" + simulator.port(0), "." + oid);
    }

    private static void set(Object... oidsAndValues) throws Exception {
        simulator.set("counters", oidsAndValues);
    }
}
