package io.amoskys.admin.view;

import static io.amoskys.admin.view.AgentSummaryTest.device;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.admin.DeviceDTO;
import io.amoskys.api.admin.DeviceHealthSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class DevicesTest {
    private final DeviceHealthSource snmp = () -> List.of(device("snmp", "edge-2", "down", 0, 1), device("snmp", "core-1", "up", 1, 0));
    private final DeviceHealthSource mqtt = () -> List.of(device("mqtt", "sensor-9", "up", 2, 0));
    private final List<DeviceHealthSource> sources = List.of(snmp, mqtt);

    private static List<String> names(List<DeviceDTO> devices) {
        return devices.stream().map(d -> d.agent + "/" + d.name).toList();
    }

    @Test
    void allSourcesByAgentThenName() {
        assertEquals(List.of("mqtt/sensor-9", "snmp/core-1", "snmp/edge-2"), names(Devices.of(sources, null)));
        assertEquals(List.of(), Devices.of(List.of(), null));
    }

    @Test
    void oneAgentsDevices() {
        assertEquals(List.of("snmp/core-1", "snmp/edge-2"), names(Devices.of(sources, "snmp")));
        assertEquals(List.of(), Devices.of(sources, "flow"));
    }

    @Test
    void oneDeviceByAgentAndName() {
        assertEquals("down", Devices.find(sources, "snmp", "edge-2").orElseThrow().state);
        assertTrue(Devices.find(sources, "mqtt", "edge-2").isEmpty(), "names are per agent");
        assertTrue(Devices.find(sources, "snmp", "nope").isEmpty());
    }
}
