package io.amoskys.agent.snmp.trap;

import io.amoskys.api.admin.MetricsSource;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** What the trap receiver accepted and rejected, for {@code /metrics}. Thread-safe. */
public final class TrapCounters implements MetricsSource {
    private final Map<String, LongAdder> received = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();

    void received(String version, String pdu) {
        received.computeIfAbsent("version=\"" + version + "\",pdu=\"" + pdu + "\"", k -> new LongAdder()).increment();
    }

    void rejected(String reason) {
        rejected.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    public long received() {
        return received.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long rejectedCount(String reason) {
        LongAdder n = rejected.get(reason);
        return n == null ? 0 : n.sum();
    }

    @Override
    public void writePrometheus(StringBuilder out) {
        out.append("# HELP amoskys_snmp_traps_total Traps and informs accepted, by SNMP version and PDU\n")
                .append("# TYPE amoskys_snmp_traps_total counter\n");
        new TreeMap<>(received).forEach((labels, n) -> out.append("amoskys_snmp_traps_total{").append(labels).append("} ")
                .append(n.sum()).append('\n'));
        out.append("# HELP amoskys_snmp_traps_rejected_total Notifications rejected, by reason (bad-community, authentication, malformed, ...)\n")
                .append("# TYPE amoskys_snmp_traps_rejected_total counter\n");
        new TreeMap<>(rejected).forEach((reason, n) -> out.append("amoskys_snmp_traps_rejected_total{reason=\"").append(reason).append("\"} ")
                .append(n.sum()).append('\n'));
    }
}
