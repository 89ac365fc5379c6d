package io.amoskys.admin.view;

import io.amoskys.api.admin.DeviceDTO;
import io.amoskys.api.admin.DeviceHealthSource;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The devices of every agent that reports device health, gathered from its {@link DeviceHealthSource}. */
public final class Devices {
    private static final Comparator<DeviceDTO> BY_AGENT_THEN_NAME =
            Comparator.comparing((DeviceDTO d) -> d.agent).thenComparing(d -> d.name);

    private Devices() {}

    /** Every device of {@code sources}, or only those of {@code agent} unless it is null; by agent, then name. */
    public static List<DeviceDTO> of(Collection<DeviceHealthSource> sources, String agent) {
        return sources.stream().flatMap(s -> s.devices().stream())
                .filter(d -> agent == null || agent.equals(d.agent))
                .sorted(BY_AGENT_THEN_NAME).toList();
    }

    /** The device {@code name} of {@code agent}, if one of the sources has it. */
    public static Optional<DeviceDTO> find(Collection<DeviceHealthSource> sources, String agent, String name) {
        return of(sources, agent).stream().filter(d -> name.equals(d.name)).findFirst();
    }
}
