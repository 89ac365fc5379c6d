package io.amoskys.responder.snmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.Alert;
import io.amoskys.api.response.Action;
import io.amoskys.api.response.ActionOutcome;
import io.amoskys.api.response.ActionOutcome.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real SNMP agent (snmpsimd) the test starts: community 'private' may write
 * ifAdminStatus of ifIndex 1, 2 and 4 (ifIndex 3 is down from the start); community 'public'
 * reads them but answers a SET with notWritable (ifIndex 1), noAccess (2) or authorizationError (4).
 */
class SnmpPortAgentTest {
    private static Simulator agent;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        agent = Simulator.start("private.snmprec", "public.snmprec");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (agent != null) {
            agent.close();
        }
    }

    private SnmpPortResponder responder(String community, int port) throws Exception {
        Path file = Files.writeString(dir.resolve(community + ".community"), community + "\n");
        Map<String, Object> values = new HashMap<>(Map.of("ports", new String[] {"sw1=127.0.0.1:" + port + "/1-4"},
                "communityFile", file.toString(), "stateDir", dir.resolve("state").toString(),
                "timeoutMillis", 300L, "retries", 1));
        SnmpPortResponder r = Configs.responder(values);
        assertEquals(java.util.List.of(), r.configurationProblems());
        return r;
    }

    private static Action action(SnmpPortResponder r, String id, int ifIndex) {
        Alert alert = Alert.builder().id("a-" + id).rule("port-flood").entityId("sw1/if/" + ifIndex).title("flood")
                .groupBy(Map.of("device", "sw1", "ifIndex", Integer.toString(ifIndex))).build();
        return new Action(id, "snmp-port", alert.id(), alert.rule(), alert.entityId(), r.plan(alert).get(0), 1);
    }

    /** ifAdminStatus as another SNMP client (SNMP4J, a session of its own) reads it. */
    private static int read(int ifIndex) {
        PortClient.Result r = new PortClient(1000, 1).get(new PortSettings.Device("sw1", "127.0.0.1", agent.port(),
                new java.util.BitSet(), new Security.Community("private")), ifIndex);
        assertTrue(r.ok(), String.valueOf(r.error()));
        return r.value();
    }

    @Test
    void disablesAndUndoEnables() throws Exception {
        SnmpPortResponder r = responder("private", agent.port());
        Action a = action(r, "act-1", 1);
        assertEquals(1, read(1));

        ActionOutcome disabled = r.execute(a);
        assertEquals(Status.SUCCEEDED, disabled.status(), disabled.output());
        assertTrue(disabled.output().contains("reads back down(2)"), disabled.output());
        assertEquals(2, read(1));

        ActionOutcome again = r.execute(a); // the platform may run it again after a crash: same id
        assertEquals(Status.SUCCEEDED, again.status(), again.output());
        assertEquals(2, read(1));

        ActionOutcome undone = r.undo(a);
        assertEquals(Status.SUCCEEDED, undone.status(), undone.output());
        assertTrue(undone.output().contains("reads back up(1)"), undone.output());
        assertEquals(1, read(1));

        ActionOutcome undoneAgain = r.undo(a);
        assertEquals(Status.SUCCEEDED, undoneAgain.status(), undoneAgain.output());
        assertEquals(1, read(1));
    }

    @Test
    void aPortAlreadyDownIsLeftDown() throws Exception {
        SnmpPortResponder r = responder("private", agent.port());
        Action a = action(r, "act-2", 3);
        assertEquals(2, read(3));
        ActionOutcome outcome = r.execute(a);
        assertEquals(Status.SUCCEEDED, outcome.status(), outcome.output());
        assertTrue(outcome.output().startsWith("already down"), outcome.output());
        ActionOutcome undone = r.undo(a);
        assertEquals(Status.SUCCEEDED, undone.status(), undone.output());
        assertTrue(undone.output().startsWith("left down"), undone.output());
        assertEquals(2, read(3));
    }

    @Test
    void aPortNotConfiguredIsRefusedAtPlan() throws Exception {
        SnmpPortResponder r = responder("private", agent.port());
        Alert alert = Alert.builder().id("a9").rule("port-flood").entityId("sw1/if/9").title("flood")
                .groupBy(Map.of("device", "sw1", "ifIndex", "9")).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.plan(alert));
        assertEquals("ifIndex 9 of device 'sw1' is not configured in ports: it is never set", e.getMessage());
    }

    @Test
    void aCommunityThatMayNotWriteFailsNamingTheError() throws Exception {
        SnmpPortResponder r = responder("public", agent.port());
        for (Object[] c : new Object[][] {{1, "notWritable (17)"}, {2, "noAccess (6)"}, {4, "authorizationError (16)"}}) {
            int ifIndex = (Integer) c[0];
            ActionOutcome outcome = r.execute(action(r, "act-public-" + ifIndex, ifIndex));
            assertEquals(Status.FAILED, outcome.status(), outcome.output());
            assertTrue(outcome.output().contains("the agent answered " + c[1]), outcome.output());
            assertTrue(outcome.output().startsWith("SET 1.3.6.1.2.1.2.2.1.7." + ifIndex + " on sw1 (127.0.0.1:"), outcome.output());
        }
    }

    @Test
    void aCommunityTheAgentDoesNotKnowIsRetried() throws Exception {
        // v2c agents drop requests with an unknown community without an answer: as for an agent down.
        SnmpPortResponder r = responder("wrong", agent.port());
        ActionOutcome outcome = r.execute(action(r, "act-wrong", 2));
        assertEquals(Status.RETRY, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("timeout, no answer after 2 tries of 300 ms"), outcome.output());
        assertEquals(1, read(2));
    }

    @Test
    void anAgentDownIsRetried() throws Exception {
        SnmpPortResponder r = responder("private", Simulator.freeUdpPort());
        Action a = action(r, "act-down", 4);
        ActionOutcome outcome = r.execute(a);
        assertEquals(Status.RETRY, outcome.status(), outcome.output());
        assertTrue(outcome.output().startsWith("GET 1.3.6.1.2.1.2.2.1.7.4 on sw1 (127.0.0.1:"), outcome.output());
        assertTrue(outcome.output().contains("timeout"), outcome.output());
        ActionOutcome undo = r.undo(a);
        assertEquals(Status.RETRY, undo.status(), undo.output());
    }
}
