package io.amoskys.admin.view;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.amoskys.api.admin.DeviceDTO;
import io.amoskys.api.admin.PluginDTO;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentSummaryTest {
    static DeviceDTO device(String agent, String name, String state, double eventsPerSecond, long errors) {
        DeviceDTO d = new DeviceDTO();
        d.agent = agent;
        d.name = name;
        d.state = state;
        d.eventsPerSecond = eventsPerSecond;
        d.errors = errors;
        return d;
    }

    private static PluginDTO plugin(String kind, String name, boolean active, long bundleId) {
        PluginDTO p = new PluginDTO();
        p.kind = kind;
        p.name = name;
        p.active = active;
        p.bundle = "io.amoskys." + kind + "." + name + "/1.0.0";
        p.bundleId = bundleId;
        return p;
    }

    @Test
    void everyAgentWithTheTotalsOfItsOwnDevices() {
        List<PluginDTO> plugins = List.of(plugin("agent", "snmp", true, 41), plugin("agent", "process", true, 40),
                plugin("agent", "snmp", false, 90), plugin("detector", "zscore", true, 50));
        List<DeviceDTO> devices = List.of(device("snmp", "core-1", "up", 1.5, 0), device("snmp", "edge-2", "down", 0.25, 4),
                device("snmp", "edge-3", "up", 2, 1), device("mqtt", "sensor-9", "up", 9, 9));

        assertEquals(List.of(
                new AgentSummary("snmp", "active", "io.amoskys.agent.snmp/1.0.0", 41, 2, 3, 3.75, 5),
                new AgentSummary("process", "active", "io.amoskys.agent.process/1.0.0", 40, 0, 0, 0, 0),
                new AgentSummary("snmp", "shadowed", "io.amoskys.agent.snmp/1.0.0", 90, 2, 3, 3.75, 5)),
                AgentSummary.of(plugins, devices), "detectors are left out; mqtt's devices have no agent service here");
    }
}
