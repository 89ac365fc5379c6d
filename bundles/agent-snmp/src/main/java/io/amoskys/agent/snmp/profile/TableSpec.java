package io.amoskys.agent.snmp.profile;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.snmp4j.smi.OID;

/**
 * A table walked column by column; each row becomes one event.
 *
 * @param entityPart between the device name and the row index in entity ids ({@code ""} gives
 *     {@code device/7}, {@code "storage"} gives {@code device/storage/7})
 * @param indexLabel the label that carries the row index
 * @param derive adds metrics computed from the row's own (e.g. bytes from allocation units)
 */
public record TableSpec(String name, String entityPart, String indexLabel, List<MetricSpec> columns,
        Consumer<Map<String, Double>> derive) {
    public TableSpec {
        columns = List.copyOf(columns);
    }

    /** Every column OID any metric may be read from, each once. */
    public OID[] columnOids() {
        Set<OID> oids = new LinkedHashSet<>();
        columns.forEach(m -> m.sources().forEach(s -> oids.add(s.oid())));
        return oids.toArray(OID[]::new);
    }
}
