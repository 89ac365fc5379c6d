package io.amoskys.responder.snmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.Alert;
import io.amoskys.api.response.Action;
import io.amoskys.api.response.ActionOutcome;
import io.amoskys.api.response.ActionRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The v3 keys device.NAME.*, checked: each problem names the device and the key, and never a secret. */
class SnmpPortV3ConfigTest {
    /** Every pass phrase of these tests contains this: no problem, description or toString may. */
    private static final String SECRET = "s3cret";

    @TempDir
    Path dir;

    /**
     * A valid v3 authPriv device {@code name}, then {@code changes}: key, value pairs; a null value
     * removes the key.
     */
    private static Map<String, Object> device(String name, Object... changes) {
        String k = "device." + name + ".";
        Map<String, Object> keys = new HashMap<>(Map.of(k + "version", "3", k + "user", "amoskys", k + "authProtocol", "SHA-256",
                "." + k + "authPassword", SECRET + "-auth-" + name, k + "privProtocol", "AES-256",
                "." + k + "privPassword", SECRET + "-priv-" + name));
        for (int i = 0; i < changes.length; i += 2) {
            if (changes[i + 1] == null) {
                keys.remove((String) changes[i]);
            } else {
                keys.put((String) changes[i], changes[i + 1]);
            }
        }
        return keys;
    }

    /** The configuration with these devices (addresses 192.0.2.x: documentation, never contacted). */
    private Map<String, Object> config(Map<String, Map<String, Object>> devices) {
        Map<String, Object> values = new HashMap<>(Map.of("stateDir", dir.resolve("state").toString()));
        List<String> ports = new ArrayList<>();
        devices.forEach((name, keys) -> {
            ports.add(name + "=192.0.2." + (ports.size() + 1) + "/1-8");
            values.putAll(keys);
        });
        values.put("ports", ports.toArray(String[]::new));
        return values;
    }

    @Test
    void refusesBadV3KeysNamingTheDeviceAndTheKey() throws Exception {
        Path shortFile = Files.writeString(dir.resolve("short.priv"), SECRET + "\n");
        // device, what its one problem says after "device 'NAME': ", what is wrong with it
        Object[][] cases = {
            {"md5", "device.md5.authProtocol 'MD5' is refused: MD5 is not used to change devices",
                "device.md5.authProtocol", "MD5"},
            {"sha3", "device.sha3.authProtocol 'SHA-3' is not supported: use SHA, SHA-224, SHA-256, SHA-384 or SHA-512",
                "device.sha3.authProtocol", "SHA-3"},
            {"des", "device.des.privProtocol 'DES' is refused: DES is not used to change devices", "device.des.privProtocol", "DES"},
            {"aes512", "device.aes512.privProtocol 'AES512' is not supported: use AES (128), AES-192 or AES-256",
                "device.aes512.privProtocol", "AES512"},
            {"noauth", "no authentication pass phrase: set device.noauth.authPasswordFile (or .device.noauth.authPassword)",
                ".device.noauth.authPassword", null},
            {"shortauth", "the pass phrase of .device.shortauth.authPassword is shorter than 8 characters (RFC 3414)",
                ".device.shortauth.authPassword", SECRET},
            {"nopriv", "no privacy pass phrase: set device.nopriv.privPasswordFile (or .device.nopriv.privPassword),"
                + " as securityLevel authPriv needs one", ".device.nopriv.privPassword", null},
            {"shortpriv", "the pass phrase of device.shortpriv.privPasswordFile " + shortFile + " is shorter than 8 characters",
                ".device.shortpriv.privPassword", null, "device.shortpriv.privPasswordFile", shortFile.toString()},
            {"inlined", "device.inlined.authPasswordFile is not an absolute file path (its value is not shown: it may be the"
                + " pass phrase itself; put that under .device.inlined.authPassword)",
                ".device.inlined.authPassword", null, "device.inlined.authPasswordFile", SECRET + "-in-the-file-key"},
            {"public", "device.public.authPassword would be published with the responder's service properties: name it"
                + " .device.public.authPassword", ".device.public.authPassword", null, "device.public.authPassword", SECRET + "-pub"},
            {"v2", "set, but device.v2.version is 2c: set device.v2.version = 3, or remove them", "device.v2.version", "2c"},
            {"noauthnopriv", "device.noauthnopriv.securityLevel noAuthNoPriv is refused", "device.noauthnopriv.securityLevel",
                "noAuthNoPriv"},
            {"nouser", "device.nouser.user is missing: SNMP v3 needs the USM user name", "device.nouser.user", null},
            {"authnopriv", "privacy keys are set, but device.authnopriv.securityLevel is authNoPriv",
                "device.authnopriv.securityLevel", "authNoPriv"},
            {"v1", "device.v1.version '1' is not supported: use 2c or 3", "device.v1.version", "1"},
            {"engine", "device.engine.engineId is not needed here", "device.engine.engineId", "800000090300aabbccddeeff"},
            {"typo", "unknown key device.typo.privProtcol", "device.typo.privProtcol", "AES"},
            {"both", "both device.both.authPasswordFile and .device.both.authPassword are set: keep one",
                "device.both.authPasswordFile", shortFile.toString()},
        };
        Map<String, Map<String, Object>> devices = new java.util.LinkedHashMap<>();
        for (Object[] c : cases) {
            devices.put((String) c[0], device((String) c[0], java.util.Arrays.copyOfRange(c, 2, c.length)));
        }
        Map<String, Object> values = config(devices);
        values.put("device.ghost.user", "amoskys");
        values.put(".community", SECRET + "-community"); // for 'v2'
        SnmpPortResponder r = Configs.responder(values);

        List<String> problems = r.configurationProblems();
        String all = String.join("\n", problems);
        for (Object[] c : cases) {
            String prefix = "device '" + c[0] + "': ";
            assertTrue(problems.stream().anyMatch(p -> p.startsWith(prefix) && p.contains((String) c[1])),
                    "missing " + prefix + c[1] + " in\n" + all);
        }
        assertTrue(problems.contains("device.ghost.* keys name device 'ghost', which ports does not list"), all);
        // One each, plus 'ghost', plus for 'public' that it has no (usable) authentication pass phrase then.
        assertTrue(problems.contains("device 'public': no authentication pass phrase: set device.public.authPasswordFile"
                + " (or .device.public.authPassword)"), all);
        assertEquals(cases.length + 2, problems.size(), all);
        assertFalse(all.contains(SECRET), all);

        // The platform keeps a responder with problems disarmed; were it asked anyway, it sends nothing.
        Alert alert = Alert.builder().id("a1").rule("port-flood").entityId("md5/if/1").title("flood")
                .groupBy(Map.of("device", "md5", "ifIndex", "1")).build();
        Action action = new Action("act-md5", "snmp-port", alert.id(), alert.rule(), alert.entityId(), r.plan(alert).get(0), 1);
        ActionOutcome outcome = r.execute(action);
        assertEquals(ActionOutcome.Status.FAILED, outcome.status(), outcome.output());
        assertTrue(outcome.output().startsWith("misconfigured: "), outcome.output());
        assertFalse(outcome.output().contains(SECRET), outcome.output());
        ActionOutcome undo = r.undo(action);
        assertEquals(ActionOutcome.Status.FAILED, undo.status(), undo.output());
    }

    @Test
    void aGoodV3ConfigurationNeedsNoCommunityAndShowsNoSecret() throws Exception {
        Path authFile = Files.writeString(dir.resolve("edge.auth"), SECRET + "-from-file\n");
        Map<String, Map<String, Object>> devices = new java.util.LinkedHashMap<>();
        devices.put("core", device("core"));
        devices.put("edge", device("edge", "device.edge.authProtocol", "sha256", "device.edge.privProtocol", "AES128",
                ".device.edge.authPassword", null, "device.edge.authPasswordFile", authFile.toString()));
        devices.put("lab", device("lab", "device.lab.securityLevel", "authNoPriv", "device.lab.privProtocol", null,
                ".device.lab.privPassword", null));
        Map<String, Object> values = config(devices);
        PortSettings settings = new PortSettings(Configs.snmpPort(values), values);
        assertEquals(List.of(), settings.problems());
        assertEquals("v3 user 'amoskys' authPriv SHA-256/AES-256", settings.devices.get("core").security().toString());
        assertEquals(new Security.Usm("amoskys", "SHA-256", SECRET + "-from-file", "AES", SECRET + "-priv-edge"),
                settings.devices.get("edge").security());
        assertEquals("v3 user 'amoskys' authNoPriv SHA-256", settings.devices.get("lab").security().toString());
        assertFalse(settings.devices.toString().contains(SECRET), settings.devices.toString());

        SnmpPortResponder r = Configs.responder(values);
        Alert alert = Alert.builder().id("a1").rule("port-flood").entityId("lab/if/3").title("flood")
                .groupBy(Map.of("device", "lab", "ifIndex", "3")).build();
        ActionRequest request = r.plan(alert).get(0);
        assertEquals(Map.of("device", "lab", "agent", "192.0.2.3:161", "ifIndex", "3", "oid", "1.3.6.1.2.1.2.2.1.7.3",
                "version", "3", "user", "amoskys", "securityLevel", "authNoPriv"), request.parameters());
        assertFalse(request.description().contains(SECRET), request.description());
    }
}
