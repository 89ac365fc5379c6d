package io.amoskys.agent.snmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceSettingsTest {
    private static Map<String, Object> props(Object... kv) {
        Map<String, Object> p = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            p.put((String) kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void defaultsForAV2cDevice() {
        DeviceSettings s = DeviceSettings.parse(props("name", "core-1", "address", "10.0.0.1"));
        assertEquals(161, s.port());
        assertEquals(DeviceSettings.Version.V2C, s.version());
        assertEquals("public", s.community());
        assertNull(s.v3());
        assertEquals(Duration.ofSeconds(60), s.pollInterval());
        assertEquals(List.of("system", "interfaces"), s.profiles());
        assertEquals("udp:10.0.0.1/161", s.address());
    }

    @Test
    void theNameComesFromKarafsFileName() {
        DeviceSettings s = DeviceSettings.parse(props("address", "10.0.0.1",
                "felix.fileinstall.filename", "file:/opt/karaf/etc/io.amoskys.agent.snmp-edge-7.cfg"));
        assertEquals("edge-7", s.name());
    }

    @Test
    void v3AuthPrivWithNetSnmpProtocolNames() {
        DeviceSettings s = DeviceSettings.parse(props("name", "r", "address", "r.example", "version", "3", "user", "ops",
                "authProtocol", "sha256", "authPassword", "authpass123", "privProtocol", "aes128", "privPassword", "privpass123",
                "profiles", "system, tcp,udp", "pollIntervalSeconds", "30"));
        assertEquals("SHA-256", s.v3().authProtocol());
        assertEquals("AES", s.v3().privProtocol());
        assertEquals("authPriv", s.v3().securityLevel());
        assertEquals(List.of("system", "tcp", "udp"), s.profiles());
        assertFalse(s.toString().contains("authpass123") || s.toString().contains("privpass123"), "no secrets in logs: " + s);
    }

    @Test
    void everyProblemNamesItsProperty() {
        assertEquals("io.amoskys.agent.snmp: address is missing: the device's host name or IP address",
                assertThrows(IllegalArgumentException.class, () -> DeviceSettings.parse(props("name", "x"))).getMessage());
        assertEquals("io.amoskys.agent.snmp: port 70000 is out of range 1..65535",
                assertThrows(IllegalArgumentException.class, () -> DeviceSettings.parse(props("name", "x", "address", "h", "port", "70000"))).getMessage());
        assertEquals("io.amoskys.agent.snmp: pollIntervalSeconds 'often' is not a whole number",
                assertThrows(IllegalArgumentException.class, () -> DeviceSettings.parse(props("name", "x", "address", "h",
                        "pollIntervalSeconds", "often"))).getMessage());
        assertEquals("io.amoskys.agent.snmp: profiles 'bgp' is not a profile: use [system, interfaces, ip, tcp, udp, icmp, host-resources]",
                assertThrows(IllegalArgumentException.class, () -> DeviceSettings.parse(props("name", "x", "address", "h", "profiles", "system,bgp")))
                        .getMessage());
        assertEquals("io.amoskys.agent.snmp: user is missing: SNMPv3 needs the USM user name",
                assertThrows(IllegalArgumentException.class, () -> DeviceSettings.parse(props("name", "x", "address", "h", "version", "3"))).getMessage());
        assertEquals("io.amoskys.agent.snmp: authPassword must have at least 8 characters (RFC 3414)",
                assertThrows(IllegalArgumentException.class, () -> DeviceSettings.parse(props("name", "x", "address", "h", "version", "3",
                        "user", "u", "authPassword", "short"))).getMessage());
        assertEquals("io.amoskys.agent.snmp: privPassword needs authPassword too: SNMPv3 has no privacy without authentication",
                assertThrows(IllegalArgumentException.class, () -> DeviceSettings.parse(props("name", "x", "address", "h", "version", "3",
                        "user", "u", "privPassword", "privpass123"))).getMessage());
        assertEquals("io.amoskys.agent.snmp: authProtocol 'SHA-3' is not supported: use one of [MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512]",
                assertThrows(IllegalArgumentException.class, () -> DeviceSettings.parse(props("name", "x", "address", "h", "version", "3",
                        "user", "u", "authProtocol", "SHA-3", "authPassword", "authpass123"))).getMessage());
        assertEquals("io.amoskys.agent.snmp: name 'a b' must be 1-64 letters, digits, '.', '_' or '-'",
                assertThrows(IllegalArgumentException.class, () -> DeviceSettings.parse(props("name", "a b", "address", "h"))).getMessage());
    }
}
