package io.amoskys.stage.anomaly;

import io.amoskys.api.event.EventKinds;
import java.util.List;
import java.util.Map;

/** The features whose deviation from an entity's normal is scored, per kind (each gives {@code z_NAME}). */
final class AnomalyTargets {
    static final Map<String, List<String>> BY_KIND = Map.of(
            EventKinds.FLOW, List.of("flows_rate_1m", "bytes_rate_1m", "flow_bytes_mean_1m", "distinct_dst_ports_1m",
                    "distinct_dst_hosts_1m", "failed_conn_ratio_1m", "new_dst_rate_1m"),
            EventKinds.DNS, List.of("dns_rate_1m", "name_entropy", "query_length", "unusual_qtype_ratio_1m"),
            EventKinds.PROCESS, List.of("cpu_percent", "resident_bytes", "fds", "threads"),
            EventKinds.IOT, List.of("value"));

    static final Map<String, String> ENTITY = Map.of(
            EventKinds.FLOW, "host", EventKinds.DNS, "host", EventKinds.PROCESS, "process", EventKinds.IOT, "sensor");

    private AnomalyTargets() {}
}
