package io.amoskys.agent.snmp.profile;

import java.util.List;

/**
 * One reported quantity and where to read it: the first source the device answers wins, so that
 * 64-bit counters are preferred and their 32-bit forms are the fallback. For table columns the
 * sources are column OIDs (the row index follows).
 */
public record MetricSpec(String name, Kind kind, List<Source> sources) {
    public MetricSpec {
        sources = List.copyOf(sources);
    }

    public static MetricSpec of(String name, Kind kind, String... oids) {
        return new MetricSpec(name, kind, java.util.Arrays.stream(oids).map(Source::of).toList());
    }
}
