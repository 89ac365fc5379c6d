package io.amoskys.agent.flow;

import io.amoskys.pcap.LiveCaptureStats;
import java.util.List;
import java.util.Map;

/**
 * The flow agent's metrics, one series per capture source (a file being replayed, an interface):
 * what it read and made of it, what it could not read, and for a live capture what was lost before
 * reading (the kernel's and the interface's drops) and how often its interface failed.
 */
final class FlowMetrics {
    /** One source's numbers, taken together under its lock. */
    record SourceView(String source, long packets, long flows, long evicted, Map<FlowCounters.Error, Long> errors,
            LiveCaptureStats live) {
    }

    private FlowMetrics() {
    }

    static void write(StringBuilder out, List<SourceView> sources) {
        family(out, "amoskys_flow_packets_total", "counter", "Packets the flow agent read, by capture source");
        sources.forEach(s -> sample(out, "amoskys_flow_packets_total", s.packets(), s.source()));
        family(out, "amoskys_flow_flows_total", "counter", "Flow records the flow agent reported, by capture source");
        sources.forEach(s -> sample(out, "amoskys_flow_flows_total", s.flows(), s.source()));
        family(out, "amoskys_flow_evicted_total", "counter", "Flows reported early because the flow table was full (maxFlows)");
        sources.forEach(s -> sample(out, "amoskys_flow_evicted_total", s.evicted(), s.source()));
        family(out, "amoskys_flow_errors_total", "counter", "Packets or messages that could not be read, by capture source and class");
        sources.forEach(s -> s.errors().forEach((error, n) -> sample(out, "amoskys_flow_errors_total", n, s.source(), "class", error.name())));
        family(out, "amoskys_capture_dropped_total", "counter",
                "Packets a live capture lost before reading them: by the kernel (its capture buffer was full) or by the interface");
        family(out, "amoskys_capture_interface_failures_total", "counter",
                "Failures of a live capture's interface (removed, gone down), after which the capture opened it again");
        for (SourceView s : sources) {
            if (s.live() != null) {
                sample(out, "amoskys_capture_dropped_total", s.live().kernelDrops(), s.source(), "by", "kernel");
                sample(out, "amoskys_capture_dropped_total", s.live().interfaceDrops(), s.source(), "by", "interface");
                sample(out, "amoskys_capture_interface_failures_total", s.live().interfaceFailures(), s.source());
            }
        }
    }

    private static void family(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, long value, String source, String... labels) {
        out.append(name).append("{source=\"").append(escape(source)).append('"');
        for (int i = 0; i < labels.length; i += 2) {
            out.append(',').append(labels[i]).append("=\"").append(escape(labels[i + 1])).append('"');
        }
        out.append("} ").append(value).append('\n');
    }

    private static String escape(String labelValue) {
        return labelValue.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
