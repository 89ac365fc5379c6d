package io.amoskys.agent.snmp.profile;

import java.util.List;

/** A named set of standard MIB objects: scalars read with one GET, tables walked. */
public record Profile(String name, List<MetricSpec> scalars, List<TableSpec> tables) {
    public Profile {
        scalars = List.copyOf(scalars);
        tables = List.copyOf(tables);
    }
}
