package io.amoskys.responder.snmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.Alert;
import io.amoskys.api.response.Action;
import io.amoskys.api.response.ActionOutcome;
import io.amoskys.api.response.ActionOutcome.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SNMP v3 against two real agents (snmpsimd), each with user 'amoskys' at authPriv but its own
 * pass phrases and protocols, as two switches of one site may have; each serves private.snmprec
 * (ifAdminStatus of ifIndex 1, 2 and 4 up and writable). What the agents hold is read back with
 * net-snmp's snmpget.
 */
class SnmpPortV3Test {
    private static final Simulator.V3User CORE = new Simulator.V3User("amoskys", "SHA-256", "core-auth-phrase", "AES-256",
            "core-priv-phrase");
    private static final Simulator.V3User EDGE = new Simulator.V3User("amoskys", "SHA", "edge-auth-phrase", "AES",
            "edge-priv-phrase");
    private static Simulator core;
    private static Simulator edge;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        core = Simulator.startV3(CORE, "private.snmprec");
        edge = Simulator.startV3(EDGE, "private.snmprec");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (Simulator s : new Simulator[] {core, edge}) {
            if (s != null) {
                s.close();
            }
        }
    }

    /** Device keys for {@code device} at v3 authPriv; the auth pass phrase in a file, the privacy one inline. */
    private Map<String, Object> v3(String device, Simulator.V3User user) throws Exception {
        String key = "device." + device + ".";
        Path authFile = Files.writeString(dir.resolve(device + ".auth"), user.authKey() + "\n");
        return Map.of(key + "version", "3", key + "user", user.name(), key + "authProtocol", user.authProtocol(),
                key + "authPasswordFile", authFile.toString(), key + "privProtocol", user.privProtocol(),
                "." + key + "privPassword", user.privKey());
    }

    private SnmpPortResponder responder(List<String> ports, Map<String, Object> deviceKeys) {
        Map<String, Object> values = new HashMap<>(Map.of("ports", ports.toArray(String[]::new),
                "stateDir", dir.resolve("state").toString(), "timeoutMillis", 300L, "retries", 1));
        values.putAll(deviceKeys);
        SnmpPortResponder r = Configs.responder(values);
        assertEquals(List.of(), r.configurationProblems());
        return r;
    }

    private static Action action(SnmpPortResponder r, String id, String device, int ifIndex) {
        Alert alert = Alert.builder().id("a-" + id).rule("port-flood").entityId(device + "/if/" + ifIndex).title("flood")
                .groupBy(Map.of("device", device, "ifIndex", Integer.toString(ifIndex))).build();
        return new Action(id, "snmp-port", alert.id(), alert.rule(), alert.entityId(), r.plan(alert).get(0), 1);
    }

    @Test
    void authPrivDisablesReadsBackAndUndoEnables() throws Exception {
        SnmpPortResponder r = responder(List.of("core=127.0.0.1:" + core.port() + "/1-4"), v3("core", CORE));
        Action a = action(r, "v3-1", "core", 1);
        assertEquals(Map.of("device", "core", "agent", "127.0.0.1:" + core.port(), "ifIndex", "1", "oid", "1.3.6.1.2.1.2.2.1.7.1",
                "version", "3", "user", "amoskys", "securityLevel", "authPriv"), a.request().parameters());
        assertEquals(1, NetSnmp.ifAdminStatus(core.port(), CORE, 1));

        ActionOutcome disabled = r.execute(a);
        assertEquals(Status.SUCCEEDED, disabled.status(), disabled.output());
        assertTrue(disabled.output().contains("reads back down(2)"), disabled.output());
        assertEquals(2, NetSnmp.ifAdminStatus(core.port(), CORE, 1));

        ActionOutcome undone = r.undo(a);
        assertEquals(Status.SUCCEEDED, undone.status(), undone.output());
        assertTrue(undone.output().contains("reads back up(1)"), undone.output());
        assertEquals(1, NetSnmp.ifAdminStatus(core.port(), CORE, 1));
    }

    @Test
    void twoDevicesWithOneUserNameAndTheirOwnPassPhrases() throws Exception {
        Map<String, Object> keys = new HashMap<>(v3("core", CORE));
        keys.putAll(v3("edge", EDGE));
        SnmpPortResponder r = responder(List.of("core=127.0.0.1:" + core.port() + "/2", "edge=127.0.0.1:" + edge.port() + "/2"), keys);
        Action onCore = action(r, "v3-core", "core", 2);
        Action onEdge = action(r, "v3-edge", "edge", 2);

        ActionOutcome coreDown = r.execute(onCore);
        assertEquals(Status.SUCCEEDED, coreDown.status(), coreDown.output());
        ActionOutcome edgeDown = r.execute(onEdge); // after core's keys were used: each device keeps its own
        assertEquals(Status.SUCCEEDED, edgeDown.status(), edgeDown.output());
        assertEquals(2, NetSnmp.ifAdminStatus(core.port(), CORE, 2));
        assertEquals(2, NetSnmp.ifAdminStatus(edge.port(), EDGE, 2));

        for (Action a : List.of(onCore, onEdge)) {
            ActionOutcome undone = r.undo(a);
            assertEquals(Status.SUCCEEDED, undone.status(), undone.output());
        }
        assertEquals(1, NetSnmp.ifAdminStatus(core.port(), CORE, 2));
        assertEquals(1, NetSnmp.ifAdminStatus(edge.port(), EDGE, 2));
    }

    /** Runs the first step of an action (its GET) with these credentials, bounded: 2 tries of 300 ms and engine discovery. */
    private ActionOutcome executeAs(Simulator.V3User user, String id) throws Exception {
        SnmpPortResponder r = responder(List.of("core=127.0.0.1:" + core.port() + "/4"), v3("core", user));
        Action a = action(r, id, "core", 4);
        ActionOutcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> r.execute(a));
        assertTrue(outcome.output().startsWith("GET 1.3.6.1.2.1.2.2.1.7.4 on core (127.0.0.1:" + core.port() + "): "), outcome.output());
        assertTrue(outcome.output().contains("timeout, no answer after 2 tries of 300 ms"), outcome.output());
        assertFalse(outcome.output().contains(user.authKey()) || outcome.output().contains(user.privKey()), outcome.output());
        return outcome;
    }

    @Test
    void aWrongAuthenticationPassPhraseFailsInClearWordsWithinTheTimeout() throws Exception {
        // snmpsim answers with a report authenticated by its own key, which fails our digest.
        ActionOutcome outcome = executeAs(new Simulator.V3User("amoskys", "SHA-256", "not-the-auth-phrase", "AES-256",
                CORE.privKey()), "v3-wrong-auth");
        assertEquals(Status.FAILED, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains(": authentication failure (wrong v3 authentication pass phrase or protocol for user"
                + " 'amoskys')"), outcome.output());
        assertEquals(1, NetSnmp.ifAdminStatus(core.port(), CORE, 4));
    }

    @Test
    void anUnknownUserIsRetriedWithAHint() throws Exception {
        // snmpsim, like many agents, does not answer a user it does not know: as for an agent down.
        ActionOutcome outcome = executeAs(new Simulator.V3User("intruder", "SHA-256", CORE.authKey(), "AES-256", CORE.privKey()),
                "v3-unknown-user");
        assertEquals(Status.RETRY, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("or v3 credentials it leaves unanswered: an unknown user"), outcome.output());
        assertEquals(1, NetSnmp.ifAdminStatus(core.port(), CORE, 4));
    }
}
