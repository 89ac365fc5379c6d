package io.amoskys.agent.snmp.health;

import io.amoskys.agent.snmp.poll.ErrorReason;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The agent's metrics in the Prometheus text format, {@code amoskys_snmp_*}. */
public final class PrometheusWriter {
    /** A device's name and health. */
    public record Device(String name, DeviceHealth health) {}

    private PrometheusWriter() {}

    public static void write(StringBuilder out, List<Device> devices, long eventsEmitted, long eventsDropped) {
        Map<DeviceHealth.State, Integer> byState = new EnumMap<>(DeviceHealth.State.class);
        for (DeviceHealth.State s : DeviceHealth.State.values()) {
            byState.put(s, 0);
        }
        devices.forEach(d -> byState.merge(d.health().state(), 1, Integer::sum));
        header(out, "amoskys_snmp_devices", "gauge", "Configured SNMP devices by state");
        byState.forEach((s, n) -> out.append("amoskys_snmp_devices{state=\"").append(s.label()).append("\"} ").append(n).append('\n'));

        perDevice(out, devices, "amoskys_snmp_polls_total", "counter", "Polls started, answered or not", h -> h.polls());
        perDevice(out, devices, "amoskys_snmp_polls_failed_total", "counter", "Polls the device gave no usable answer to", h -> h.failedPolls());
        perDevice(out, devices, "amoskys_snmp_polls_skipped_total", "counter",
                "Polls not started because the previous one still ran (interval shorter than a poll)", h -> h.skippedPolls());
        header(out, "amoskys_snmp_errors_total", "counter", "Errors by device and reason (timeout, authentication, malformed, wrong-type, ...)");
        for (Device d : devices) {
            Map<ErrorReason, Long> errors = d.health().errorsByReason();
            for (ErrorReason r : ErrorReason.values()) {
                long n = errors.getOrDefault(r, 0L);
                if (n > 0) {
                    out.append("amoskys_snmp_errors_total{device=\"").append(escape(d.name())).append("\",reason=\"").append(r.label())
                            .append("\"} ").append(n).append('\n');
                }
            }
        }
        perDevice(out, devices, "amoskys_snmp_poll_latency_seconds", "gauge", "Round trip of the last poll's first request",
                h -> h.latencyMillis() < 0 ? Double.NaN : h.latencyMillis() / 1000);
        perDevice(out, devices, "amoskys_snmp_missing_objects", "gauge", "Objects the device did not have (noSuchObject/noSuchInstance) in the last poll",
                h -> h.missingObjects());
        perDevice(out, devices, "amoskys_snmp_reboots_total", "counter", "Reboots seen (sysUpTime went backwards)", h -> h.reboots());
        perDevice(out, devices, "amoskys_snmp_counter_wraps_total", "counter", "Counter32 wraps crossed by a rate", h -> h.wraps());
        header(out, "amoskys_snmp_events_total", "counter", "Events the SNMP agent emitted");
        out.append("amoskys_snmp_events_total ").append(eventsEmitted).append('\n');
        header(out, "amoskys_snmp_events_dropped_total", "counter", "Events dropped because the subscribers fell behind");
        out.append("amoskys_snmp_events_dropped_total ").append(eventsDropped).append('\n');
    }

    private static void perDevice(StringBuilder out, List<Device> devices, String name, String type, String help,
            ToDoubleFunction<DeviceHealth> value) {
        header(out, name, type, help);
        for (Device d : devices) {
            double v = value.applyAsDouble(d.health());
            out.append(name).append("{device=\"").append(escape(d.name())).append("\"} ")
                    .append(Double.isNaN(v) ? "NaN" : v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v)).append('\n');
        }
    }

    static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    public static String escape(String labelValue) {
        return labelValue.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
