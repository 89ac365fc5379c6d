package io.amoskys.agent.snmp.poll;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.agent.snmp.DeviceSettings;
import org.junit.jupiter.api.Test;
import org.snmp4j.smi.UdpAddress;

/** Devices that share a v3 user name keep their own entries in the client's user table. */
class SnmpClientUsersTest {
    private static final String ENGINE = "80001f8880aabbccdd";

    @Test
    void removingOneDevicesUserLeavesAnotherDevicesUserOfTheSameName() throws Exception {
        try (SnmpClient client = new SnmpClient(new UdpAddress("127.0.0.1/0"))) {
            DeviceSettings.V3 anyEngine = new DeviceSettings.V3("mon", "SHA-256", "first-password", null, null, null);
            DeviceSettings.V3 oneEngine = new DeviceSettings.V3("mon", "SHA-256", "second-password", null, null, ENGINE);
            client.addUser(anyEngine);
            client.addUser(oneEngine);
            assertTrue(client.knowsUser("mon", ENGINE));

            client.removeUser(anyEngine); // device A deleted or changed
            assertTrue(client.knowsUser("mon", ENGINE), "device B's user for its engine is still known");

            client.addUser(anyEngine);
            client.removeUser(oneEngine);
            client.removeUser(anyEngine);
            assertFalse(client.knowsUser("mon", ENGINE), "gone with the last device that used it");
        }
    }
}
