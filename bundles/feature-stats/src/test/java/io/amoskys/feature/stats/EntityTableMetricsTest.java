package io.amoskys.feature.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EntityTableMetricsTest {
    @Test
    void eachStageWritesItsOwnFamiliesWithTheTablesCounts() {
        EntityTable<String> table = new EntityTable<>(2, 1_000);
        table.get("a", 0, k -> k);
        table.get("b", 1, k -> k);
        table.get("c", 2, k -> k);        // a goes: capacity
        table.get("d", 5_000, k -> k);    // b and c idle for longer than 1000 ns
        StringBuilder out = new StringBuilder();
        EntityTableMetrics.write("domain", table, out);
        assertEquals("""
                # HELP amoskys_stage_domain_entities Entities the domain stage holds state for
                # TYPE amoskys_stage_domain_entities gauge
                amoskys_stage_domain_entities %d
                # HELP amoskys_stage_domain_entities_max Most entities the domain stage holds state for
                # TYPE amoskys_stage_domain_entities_max gauge
                amoskys_stage_domain_entities_max 2
                # HELP amoskys_stage_domain_entities_created_total Entities the domain stage started state for
                # TYPE amoskys_stage_domain_entities_created_total counter
                amoskys_stage_domain_entities_created_total 4
                # HELP amoskys_stage_domain_entities_evicted_total Entities the domain stage forgot, by reason
                # TYPE amoskys_stage_domain_entities_evicted_total counter
                amoskys_stage_domain_entities_evicted_total{reason="capacity"} %d
                amoskys_stage_domain_entities_evicted_total{reason="idle"} %d
                """.formatted(table.size(), table.evictedForCapacity(), table.evictedIdle()), out.toString());
        assertEquals(4, table.created());
        assertEquals(table.created() - table.size(), table.evictedForCapacity() + table.evictedIdle(), "every entity is held or counted as gone");
    }
}
