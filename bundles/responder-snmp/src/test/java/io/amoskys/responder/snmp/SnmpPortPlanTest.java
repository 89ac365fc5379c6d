package io.amoskys.responder.snmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.Alert;
import io.amoskys.api.response.ActionRequest;
import io.amoskys.api.response.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnmpPortPlanTest {
    @TempDir
    Path dir;

    private SnmpPortResponder responder(Map<String, Object> values) {
        Map<String, Object> all = new HashMap<>(Map.of("ports", new String[] {"sw1=10.0.0.2/3,5,10-12", "edge=[2001:db8::2]:1161/7"},
                ".community", "private", "stateDir", dir.resolve("state").toString()));
        all.putAll(values);
        return Configs.responder(all);
    }

    private static Alert alert(String entity, Map<String, String> groupBy) {
        return Alert.builder().id("a1").rule("port-flood").entityId(entity).title("flood").groupBy(groupBy).build();
    }

    @Test
    void plansADisableOfAConfiguredPort() {
        SnmpPortResponder r = responder(Map.of());
        assertEquals(List.of(), r.configurationProblems());
        List<ActionRequest> plan = r.plan(alert("sw1/if/11", Map.of("device", "sw1", "ifIndex", "11")));
        assertEquals(1, plan.size());
        ActionRequest req = plan.get(0);
        assertEquals("disable", req.verb());
        assertEquals(Target.of(Target.Kind.PORT, "sw1/11"), req.target());
        assertEquals(Duration.ofSeconds(900), req.lasts());
        assertEquals("set ifAdminStatus of sw1 ifIndex 11 (10.0.0.2:161) to down(2) for 900 s", req.description());
        assertEquals(Map.of("device", "sw1", "agent", "10.0.0.2:161", "ifIndex", "11", "oid", "1.3.6.1.2.1.2.2.1.7.11",
                "version", "2c"), req.parameters());
        assertTrue(r.undoable());
    }

    @Test
    void takesThePortFromTheEntityWhenConfigured() {
        SnmpPortResponder r = responder(Map.of("deviceFrom", "entity", "portFrom", "entity", "disableSeconds", 60L));
        ActionRequest req = r.plan(alert("edge/if/7", Map.of())).get(0);
        assertEquals(Target.of(Target.Kind.PORT, "edge/7"), req.target());
        assertEquals("[2001:db8::2]:1161", req.parameters().get("agent"));
        assertEquals(Duration.ofSeconds(60), req.lasts());
    }

    @Test
    void refusesPortsAndDevicesNotConfigured() {
        SnmpPortResponder r = responder(Map.of());
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> r.plan(alert("x", Map.of("device", "sw1", "ifIndex", "4"))));
        assertEquals("ifIndex 4 of device 'sw1' is not configured in ports: it is never set", port.getMessage());
        IllegalArgumentException device = assertThrows(IllegalArgumentException.class,
                () -> r.plan(alert("x", Map.of("device", "core", "ifIndex", "3"))));
        assertEquals("device 'core' of alert a1 is not configured in ports: its ports are never set", device.getMessage());
    }

    @Test
    void namesWhatTheAlertLacks() {
        SnmpPortResponder r = responder(Map.of());
        IllegalArgumentException noPort = assertThrows(IllegalArgumentException.class,
                () -> r.plan(alert("x", Map.of("device", "sw1"))));
        assertEquals("alert a1 of rule port-flood has no group-by value 'ifIndex' for the ifIndex (it has [device])", noPort.getMessage());
        IllegalArgumentException noDevice = assertThrows(IllegalArgumentException.class,
                () -> r.plan(alert("x", Map.of("ifIndex", "3"))));
        assertTrue(noDevice.getMessage().contains("no group-by value 'device' for the device"), noDevice.getMessage());
        IllegalArgumentException notANumber = assertThrows(IllegalArgumentException.class,
                () -> r.plan(alert("x", Map.of("device", "sw1", "ifIndex", "Gi0/3"))));
        assertEquals("ifIndex 'Gi0/3' of alert a1 is no positive ifIndex number", notANumber.getMessage());
        SnmpPortResponder fromEntity = responder(Map.of("deviceFrom", "entity", "portFrom", "entity"));
        IllegalArgumentException bare = assertThrows(IllegalArgumentException.class, () -> fromEntity.plan(alert("sw1", Map.of())));
        assertTrue(bare.getMessage().contains("is not DEVICE/.../IFINDEX"), bare.getMessage());
    }

    @Test
    void reportsConfigurationProblems() throws IOException {
        SnmpPortResponder r = responder(Map.of("ports", new String[] {"sw1=10.0.0.300/3", "sw2=10.0.0.2/0", "sw3 10.0.0.2/3",
                "sw4=host_name/3", "sw5=10.0.0.5:70000/3", "sw6=10.0.0.6/4-2", "sw7=10.0.0.7/x", "ok=sw.example/1", "ok=10.0.0.8/2"},
                ".community", "", "timeoutMillis", 0L, "retries", -1, "disableSeconds", 0L, "portFrom", "label:x"));
        List<String> problems = r.configurationProblems();
        String all = String.join("\n", problems);
        for (String expected : List.of("'10.0.0.300' is no IP address or host name", "sw2=10.0.0.2/0': ifIndex '0' is not within",
                "'sw3 10.0.0.2/3' is not DEVICE=HOST[:PORT]/IFINDEX", "'host_name' is no IP address or host name",
                "UDP port 70000 is not between 1 and 65535", "ifIndex '4-2' is not within", "'x' is no ifIndex",
                "names device 'ok' twice", "no write community: set communityFile (or .community)",
                "timeoutMillis must be positive, was 0", "retries must be 0 or more, was -1",
                "disableSeconds must be positive, was 0", "portFrom 'label:x' is neither 'entity' nor 'groupBy:KEY'")) {
            assertTrue(all.contains(expected), "missing '" + expected + "' in\n" + all);
        }
        assertEquals(13, problems.size(), all);

        List<String> none = responder(Map.of("ports", new String[0])).configurationProblems();
        assertEquals(List.of("ports lists no port: this responder may disable none (add DEVICE=HOST/IFINDEX entries)"), none);

        Path missing = dir.resolve("missing.community");
        List<String> unreadable = responder(Map.of(".community", "", "communityFile", missing.toString())).configurationProblems();
        assertEquals(1, unreadable.size());
        assertTrue(unreadable.get(0).startsWith("communityFile " + missing + " cannot be read"), unreadable.get(0));

        Path empty = Files.writeString(dir.resolve("empty.community"), "\n");
        assertEquals(List.of("communityFile " + empty + " is empty"),
                responder(Map.of(".community", "", "communityFile", empty.toString())).configurationProblems());
        assertEquals(List.of("both communityFile and .community are set: keep one"),
                responder(Map.of("communityFile", empty.toString())).configurationProblems());

        Path file = Files.writeString(dir.resolve("good.community"), " s3cret \n");
        SnmpPortResponder good = responder(Map.of(".community", "", "communityFile", file.toString()));
        assertEquals(List.of(), good.configurationProblems());
    }
}
