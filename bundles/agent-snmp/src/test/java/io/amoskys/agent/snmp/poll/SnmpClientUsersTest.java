package io.amoskys.agent.snmp.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

    @Test
    void aChangedPasswordOfAUserTwoDevicesShareReplacesTheOldOne() throws Exception {
        try (SnmpClient client = new SnmpClient(new UdpAddress("127.0.0.1/0"))) {
            DeviceSettings.V3 before = new DeviceSettings.V3("mon", "SHA-256", "old-password", null, null, ENGINE);
            DeviceSettings.V3 after = new DeviceSettings.V3("mon", "SHA-256", "new-password", null, null, ENGINE);
            client.addUser(before); // device 1
            client.addUser(before); // device 2
            client.removeUser(before); // device 1's configuration changes: out with the old...
            client.addUser(after); // ...in with the new
            String newKey = keyOf(after);
            assertNotEquals(keyOf(before), newKey);
            assertEquals(newKey, client.authKey("mon", ENGINE));
            client.removeUser(before); // device 2 goes: the user stays, with the newest credentials
            assertEquals(newKey, client.authKey("mon", ENGINE));
        }
    }

    /** The key a client holds for this user alone. */
    private static String keyOf(DeviceSettings.V3 v3) throws Exception {
        try (SnmpClient client = new SnmpClient(new UdpAddress("127.0.0.1/0"))) {
            client.addUser(v3);
            return client.authKey(v3.user(), v3.engineId());
        }
    }
}
