package io.amoskys.rest.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.amoskys.admin.view.AgentSummary;
import io.amoskys.api.admin.DeviceDTO;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;

class AdminJsonTest {
    /** Through text and back, as a client reads it (numbers come back as BigDecimal). */
    private static JsonObject roundTrip(JsonObject o) throws Exception {
        return (JsonObject) Jsoner.deserialize(Jsoner.serialize(o));
    }

    static DeviceDTO device(String agent, String name, String state) {
        DeviceDTO d = new DeviceDTO();
        d.agent = agent;
        d.name = name;
        d.address = "udp:10.0.0.7/161";
        d.state = state;
        return d;
    }

    @Test
    void aDeviceHasEveryFieldOfTheDto() throws Exception {
        DeviceDTO d = device("snmp", "core-1", "error");
        d.lastSeenMillis = 1_764_000_000_000L;
        d.latencyMillis = 2.5;
        d.eventsPerSecond = 1.25;
        d.errors = 3;
        d.lastError = "authentication failure (wrong v3 user or password)";
        JsonObject json = roundTrip(AdminJson.device(d));
        assertEquals(Map.of("agent", "snmp", "name", "core-1", "address", "udp:10.0.0.7/161", "state", "error",
                "lastSeenMillis", new BigDecimal("1764000000000"), "latencyMillis", new BigDecimal("2.5"),
                "eventsPerSecond", new BigDecimal("1.25"), "errors", new BigDecimal("3"),
                "lastError", "authentication failure (wrong v3 user or password)"), json);
    }

    @Test
    void aDeviceNeverSeenKeepsItsMarkers() throws Exception {
        JsonObject json = roundTrip(AdminJson.device(device("mqtt", "site/floor1/temp", "unknown")));
        assertEquals(9, json.size(), "lastError is there, as null: " + json);
        assertNull(json.get("lastError"));
        assertEquals(new BigDecimal("-1.0"), json.get("latencyMillis"), "-1: no latency for this device");
        assertEquals(new BigDecimal("0"), json.get("lastSeenMillis"));
    }

    @Test
    void anAgentHasItsTotals() throws Exception {
        JsonObject json = roundTrip(AdminJson.agent(new AgentSummary("snmp", "active", "io.amoskys.agent.snmp/0.1.0", 41, 9, 10, 12.5, 2)));
        assertEquals(Map.of("name", "snmp", "state", "active", "bundle", "io.amoskys.agent.snmp/0.1.0", "bundleId", new BigDecimal("41"),
                "devicesUp", new BigDecimal("9"), "devices", new BigDecimal("10"), "eventsPerSecond", new BigDecimal("12.5"),
                "errors", new BigDecimal("2")), json);
    }

    @Test
    void listsAreArraysInTheGivenOrder() throws Exception {
        JsonArray devices = (JsonArray) Jsoner.deserialize(Jsoner.serialize(
                AdminJson.devices(List.of(device("mqtt", "b", "up"), device("snmp", "a", "down")))));
        assertEquals(List.of("b", "a"), devices.stream().map(o -> ((JsonObject) o).getString("name")).toList());
        assertEquals("[]", Jsoner.serialize(AdminJson.agents(List.of())));
    }
}
