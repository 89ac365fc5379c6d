package io.amoskys.agent.snmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.agent.snmp.poll.ErrorReason;
import io.amoskys.agent.snmp.support.EventCollector;
import io.amoskys.agent.snmp.support.Simulator;
import io.amoskys.api.event.TelemetryEvent;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input: wrongly typed values (a real snmpsim serving a recording with wrong types), answers
 * that are not SNMP at all, and devices that do not answer. Each is a clear, counted error; the
 * agent keeps polling the others.
 */
class BadInputTest {
    private static Simulator simulator;
    private static SnmpAgent agent;
    private static final EventCollector events = new EventCollector();

    @BeforeAll
    static void start() throws Exception {
        simulator = Simulator.start(List.of(), List.of("badtypes.snmprec", "counters.snmprec"), 1);
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
    void wrongTypesAreCountedErrorsAndTheRestIsStillReported() throws Exception {
        TestAgents.configure(agent, TestAgents.v2c("badtypes", simulator.port(0), "badtypes", "system,interfaces"));
        PollReport report = agent.pollNow("badtypes").get(30, TimeUnit.SECONDS);
        assertTrue(report.answered(), report.toString());
        assertEquals(java.util.Set.of(
                "wrong type: sys_uptime_s (1.3.6.1.2.1.1.3.0) of badtypes is OCTET STRING, expected TimeTicks",
                "wrong type: oper_status (1.3.6.1.2.1.2.2.1.8.1) of badtypes/1 is OCTET STRING, expected INTEGER or Gauge32",
                "wrong type: in_octets (1.3.6.1.2.1.2.2.1.10.1) of badtypes/1 is OCTET STRING, expected Counter32 or Counter64"),
                java.util.Set.copyOf(report.problems()));
        TelemetryEvent row = events.await("badtypes/1", e -> e.entityId().equals("badtypes/1"), Duration.ofSeconds(10));
        assertEquals(777.0, row.metrics().get("out_octets"), "the well-typed counter is still reported: " + row);
        assertFalse(row.metrics().containsKey("in_octets"), "a wrongly typed counter is not a value: " + row);
        assertTrue(row.labels().get("missing").contains("in_octets"), row.toString());
        var health = agent.health("badtypes").orElseThrow();
        assertEquals(3, health.errors(ErrorReason.WRONG_TYPE));
        assertEquals("error", agent.devices().stream().filter(d -> d.name.equals("badtypes")).findFirst().orElseThrow().state);
        StringBuilder metrics = new StringBuilder();
        agent.writePrometheus(metrics);
        assertTrue(metrics.toString().contains("amoskys_snmp_errors_total{device=\"badtypes\",reason=\"wrong-type\"} 3"), metrics.toString());
    }

    @Test
    void aDeviceAnsweringGarbageIsAMalformedResponse() throws Exception {
        try (DatagramSocket garbage = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread responder = new Thread(() -> answerEveryRequestWith(garbage, "this is not BER".getBytes(StandardCharsets.US_ASCII)));
            responder.setDaemon(true);
            responder.start();
            Map<String, Object> p = TestAgents.v2c("garbage", garbage.getLocalPort(), "public", "system");
            p.put("timeoutMillis", "300");
            p.put("retries", "0");
            TestAgents.configure(agent, p);
            PollReport report = agent.pollNow("garbage").get(30, TimeUnit.SECONDS);
            assertEquals(ErrorReason.MALFORMED, report.failureReason(), report.toString());
            assertTrue(report.failure().startsWith("malformed response"), report.failure());
            assertEquals("error", agent.devices().stream().filter(d -> d.name.equals("garbage")).findFirst().orElseThrow().state);
            assertEquals(1, agent.health("garbage").orElseThrow().errors(ErrorReason.MALFORMED));
        }
        assertAgentStillPolls();
    }

    @Test
    void aDeviceThatDoesNotAnswerIsDownWithATimeout() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Map<String, Object> p = TestAgents.v2c("silent", silent.getLocalPort(), "public", "system");
            p.put("timeoutMillis", "200");
            p.put("retries", "1");
            TestAgents.configure(agent, p);
            PollReport report = agent.pollNow("silent").get(30, TimeUnit.SECONDS);
            assertEquals(ErrorReason.TIMEOUT, report.failureReason(), report.toString());
            assertEquals("timeout: no answer from 127.0.0.1/" + silent.getLocalPort()
                    + " after 2 tries of 200 ms (down, unreachable, or wrong community)", report.failure());
            var dto = agent.devices().stream().filter(d -> d.name.equals("silent")).findFirst().orElseThrow();
            assertEquals("down", dto.state);
            assertEquals(0, dto.lastSeenMillis, "never seen");
            TelemetryEvent state = events.await("silent goes down", e -> e.entityId().equals("silent") && "state".equals(e.labels().get("type")),
                    Duration.ofSeconds(10));
            assertEquals("down", state.labels().get("state"));
            assertEquals("unknown", state.labels().get("previous_state"));
        }
        assertAgentStillPolls();
    }

    @Test
    void aWrongCommunityLooksLikeATimeout() throws Exception {
        Map<String, Object> p = TestAgents.v2c("guessed", simulator.port(0), "no-such-community", "system");
        p.put("timeoutMillis", "300");
        p.put("retries", "0");
        TestAgents.configure(agent, p);
        PollReport report = agent.pollNow("guessed").get(30, TimeUnit.SECONDS);
        assertEquals(ErrorReason.TIMEOUT, report.failureReason(), report.toString());
        assertTrue(report.failure().contains("wrong community"), report.failure());
    }

    private static void assertAgentStillPolls() throws Exception {
        if (!agent.deviceNames().contains("counters")) {
            TestAgents.configure(agent, TestAgents.v2c("counters", simulator.port(0), "counters", "system"));
        }
        PollReport ok = agent.pollNow("counters").get(30, TimeUnit.SECONDS);
        assertTrue(ok.answered(), "the agent keeps running: " + ok);
    }

    private static void answerEveryRequestWith(DatagramSocket socket, byte[] answer) {
        byte[] buffer = new byte[65535];
        try {
            while (!socket.isClosed()) {
                DatagramPacket request = new DatagramPacket(buffer, buffer.length);
                socket.receive(request);
                socket.send(new DatagramPacket(answer, answer.length, request.getSocketAddress()));
            }
        } catch (java.io.IOException e) {
            // closed by the test
        }
    }
}
