package io.amoskys.feature.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
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

    @Test
    void aStageWithATablePerKindOfStateWritesOneSeriesPerTable() {
        EntityTable<String> hosts = new EntityTable<>(2, 1_000);
        EntityTable<String> services = new EntityTable<>(2, 1_000);
        hosts.get("h", 0, k -> k);
        for (int i = 0; i < 5; i++) {
            services.get("s" + i, i, k -> k);
        }
        Map<String, EntityTable<String>> tables = new LinkedHashMap<>();
        tables.put("flow", hosts);
        tables.put("service", services);
        StringBuilder out = new StringBuilder();
        EntityTableMetrics.write("domain", tables, out);
        assertEquals("""
                # HELP amoskys_stage_domain_entities Entities the domain stage holds state for, per table
                # TYPE amoskys_stage_domain_entities gauge
                amoskys_stage_domain_entities{space="flow"} 1
                amoskys_stage_domain_entities{space="service"} 2
                # HELP amoskys_stage_domain_entities_max Most entities the domain stage holds state for, per table
                # TYPE amoskys_stage_domain_entities_max gauge
                amoskys_stage_domain_entities_max{space="flow"} 2
                amoskys_stage_domain_entities_max{space="service"} 2
                # HELP amoskys_stage_domain_entities_created_total Entities the domain stage started state for, per table
                # TYPE amoskys_stage_domain_entities_created_total counter
                amoskys_stage_domain_entities_created_total{space="flow"} 1
                amoskys_stage_domain_entities_created_total{space="service"} 5
                # HELP amoskys_stage_domain_entities_evicted_total Entities the domain stage forgot, per table and reason
                # TYPE amoskys_stage_domain_entities_evicted_total counter
                amoskys_stage_domain_entities_evicted_total{space="flow",reason="capacity"} 0
                amoskys_stage_domain_entities_evicted_total{space="flow",reason="idle"} 0
                amoskys_stage_domain_entities_evicted_total{space="service",reason="capacity"} 3
                amoskys_stage_domain_entities_evicted_total{space="service",reason="idle"} 0
                """, out.toString());
    }
}
