package io.amoskys.feature.stats;

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

    private static void family(StringBuilder out, String name, String type, String help, String labels, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n')
                .append(name).append(labels).append(' ').append(value).append('\n');
    }
}
