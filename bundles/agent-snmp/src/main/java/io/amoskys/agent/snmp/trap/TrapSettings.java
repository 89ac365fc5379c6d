package io.amoskys.agent.snmp.trap;

import io.amoskys.agent.snmp.DeviceSettings;
import java.util.Set;

/**
 * Where the trap receiver listens and whom it believes.
 *
 * @param communities the v2c communities accepted; traps with another are rejected and counted
 * @param v3 the v3 user traps and informs must be authenticated as; null: v3 notifications are rejected
 */
public record TrapSettings(String address, int port, Set<String> communities, DeviceSettings.V3 v3, int maxVarbinds) {
    public TrapSettings {
        communities = Set.copyOf(communities);
    }
}
