package io.amoskys.rest.admin;

import io.amoskys.admin.view.AgentSummary;
import io.amoskys.api.admin.DeviceDTO;
import java.util.List;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;

/** Agents and devices as the REST API's JSON: one object each, named like the DTO's fields. */
final class AdminJson {
    private AdminJson() {}

    static JsonArray agents(List<AgentSummary> agents) {
        return new JsonArray(agents.stream().map(AdminJson::agent).toList());
    }

    static JsonObject agent(AgentSummary a) {
        JsonObject o = new JsonObject();
        o.put("name", a.name());
        o.put("state", a.state());
        o.put("bundle", a.bundle());
        o.put("bundleId", a.bundleId());
        o.put("devicesUp", a.devicesUp());
        o.put("devices", a.devices());
        o.put("eventsPerSecond", a.eventsPerSecond());
        o.put("errors", a.errors());
        return o;
    }

    static JsonArray devices(List<DeviceDTO> devices) {
        return new JsonArray(devices.stream().map(AdminJson::device).toList());
    }

    static JsonObject device(DeviceDTO d) {
        JsonObject o = new JsonObject();
        o.put("agent", d.agent);
        o.put("name", d.name);
        o.put("address", d.address);
        o.put("state", d.state);
        o.put("lastSeenMillis", d.lastSeenMillis);
        o.put("latencyMillis", d.latencyMillis);
        o.put("eventsPerSecond", d.eventsPerSecond);
        o.put("errors", d.errors);
        o.put("lastError", d.lastError);
        return o;
    }
}
