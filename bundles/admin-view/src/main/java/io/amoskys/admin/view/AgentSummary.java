package io.amoskys.admin.view;

import io.amoskys.api.admin.DeviceDTO;
import io.amoskys.api.admin.PluginDTO;
import java.util.List;

/**
 * One agent service with the totals of the devices it watches (all zero for agents that watch
 * none, such as {@code process}).
 *
 * @param state {@code active}, or {@code shadowed} when a service of the same name ranks higher
 * @param bundle the symbolic name and version of the bundle that registered it
 */
public record AgentSummary(String name, String state, String bundle, long bundleId, long devicesUp, long devices,
        double eventsPerSecond, long errors) {

    /** Every agent among {@code plugins}, in their order, each with its own devices among {@code devices}. */
    public static List<AgentSummary> of(List<PluginDTO> plugins, List<DeviceDTO> devices) {
        return plugins.stream().filter(p -> "agent".equals(p.kind)).map(p -> of(p, devices)).toList();
    }

    private static AgentSummary of(PluginDTO agent, List<DeviceDTO> devices) {
        List<DeviceDTO> own = devices.stream().filter(d -> agent.name.equals(d.agent)).toList();
        return new AgentSummary(agent.name, agent.active ? "active" : "shadowed", agent.bundle, agent.bundleId,
                own.stream().filter(d -> "up".equals(d.state)).count(), own.size(),
                own.stream().mapToDouble(d -> d.eventsPerSecond).sum(), own.stream().mapToLong(d -> d.errors).sum());
    }
}
