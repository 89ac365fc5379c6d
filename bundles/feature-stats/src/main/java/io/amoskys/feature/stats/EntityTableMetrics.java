package io.amoskys.feature.stats;

import java.util.Map;

/**
 * A stage's entity table in the Prometheus text format. Families are named after the stage
 * ({@code amoskys_stage_temporal_entities}): each stage writes its own, and a family must not
 * appear twice in one scrape.
 */
public final class EntityTableMetrics {
    private EntityTableMetrics() {}

    public static void write(String stage, EntityTable<?> table, StringBuilder out) {
        String prefix = "amoskys_stage_" + stage + "_entities";
        family(out, prefix, "gauge", "Entities the " + stage + " stage holds state for", "", table.size());
        family(out, prefix + "_max", "gauge", "Most entities the " + stage + " stage holds state for", "", table.capacity());
        family(out, prefix + "_created_total", "counter", "Entities the " + stage + " stage started state for", "", table.created());
        family(out, prefix + "_evicted_total", "counter", "Entities the " + stage + " stage forgot, by reason",
                "{reason=\"capacity\"}", table.evictedForCapacity());
        out.append(prefix).append("_evicted_total{reason=\"idle\"} ").append(table.evictedIdle()).append('\n');
    }

    /**
     * A stage that keeps one table per kind of state (the domain stage's hosts, services, address
     * pairs ...): the same families, one series per table labelled {@code space}, so that a sweep
     * filling one table shows as that table's evictions.
     */
    public static void write(String stage, Map<String, ? extends EntityTable<?>> tables, StringBuilder out) {
        String prefix = "amoskys_stage_" + stage + "_entities";
        header(out, prefix, "gauge", "Entities the " + stage + " stage holds state for, per table");
        tables.forEach((space, table) -> series(out, prefix, space, "", table.size()));
        header(out, prefix + "_max", "gauge", "Most entities the " + stage + " stage holds state for, per table");
        tables.forEach((space, table) -> series(out, prefix + "_max", space, "", table.capacity()));
        header(out, prefix + "_created_total", "counter", "Entities the " + stage + " stage started state for, per table");
        tables.forEach((space, table) -> series(out, prefix + "_created_total", space, "", table.created()));
        header(out, prefix + "_evicted_total", "counter", "Entities the " + stage + " stage forgot, per table and reason");
        tables.forEach((space, table) -> {
            series(out, prefix + "_evicted_total", space, ",reason=\"capacity\"", table.evictedForCapacity());
            series(out, prefix + "_evicted_total", space, ",reason=\"idle\"", table.evictedIdle());
        });
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void series(StringBuilder out, String name, String space, String moreLabels, long value) {
        out.append(name).append("{space=\"").append(space).append('"').append(moreLabels).append("} ").append(value).append('\n');
    }

    private static void family(StringBuilder out, String name, String type, String help, String labels, long value) {
        header(out, name, type, help);
        out.append(name).append(labels).append(' ').append(value).append('\n');
    }
}
