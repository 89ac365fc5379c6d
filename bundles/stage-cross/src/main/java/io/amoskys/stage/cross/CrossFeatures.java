package io.amoskys.stage.cross;

import static io.amoskys.stage.cross.CrossColumn.ratio;
import static io.amoskys.stage.cross.CrossColumn.value;

import io.amoskys.api.event.EventKinds;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.feature.FeatureDefinition;
import io.amoskys.feature.stats.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** The cross features of each kind; changing them means raising {@link CrossStage#VERSION}. */
final class CrossFeatures {
    private CrossFeatures() {}

    static List<CrossColumn> all() {
        List<CrossColumn> c = new ArrayList<>();
        flows(c);
        processes(c);
        return List.copyOf(c);
    }

    private static void flows(List<CrossColumn> c) {
        String flow = EventKinds.FLOW;
        c.add(column(flow, "host", "bytes_per_packet_fwd", "bytes", "bytes_fwd / packets_fwd (0 without packets).",
                v -> ratio(value(v, "bytes_fwd"), value(v, "packets_fwd"))));
        c.add(column(flow, "host", "bytes_per_packet_rev", "bytes", "bytes_rev / packets_rev (0 without packets).",
                v -> ratio(value(v, "bytes_rev"), value(v, "packets_rev"))));
        c.add(column(flow, "host", "out_bytes_share", "ratio",
                "bytes_fwd / (bytes_fwd + bytes_rev): the initiator's share of the flow's bytes (1 when nothing came back).",
                v -> ratio(value(v, "bytes_fwd"), value(v, "bytes_fwd") + value(v, "bytes_rev"))));
        c.add(column(flow, "host", "reply_packet_ratio", "ratio", "packets_rev / packets_fwd: answers per packet sent.",
                v -> ratio(value(v, "packets_rev"), value(v, "packets_fwd"))));
        c.add(column(flow, "host", "payload_share", "ratio", "Payload bytes over all bytes, both directions.",
                v -> ratio(value(v, "payload_fwd") + value(v, "payload_rev"), value(v, "bytes_fwd") + value(v, "bytes_rev"))));
        c.add(column(flow, "host", "syn_ack_ratio", "ratio",
                "SYN packets per ACK packet, both directions (SYNs when there is no ACK): high for unanswered connection attempts.",
                v -> {
                    double syn = value(v, "syn_fwd") + value(v, "syn_rev");
                    double ack = value(v, "ack_fwd") + value(v, "ack_rev");
                    return ack == 0 ? syn : syn / ack;
                }));
        c.add(column(flow, "host", "rst_share", "ratio", "Packets with RST over all packets of the flow.",
                v -> ratio(value(v, "rst_fwd") + value(v, "rst_rev"), value(v, "packets_fwd") + value(v, "packets_rev"))));
        c.add(column(flow, "host", "packets_per_second", "1/s", "Packets, both directions, over the flow's duration (0 for an instant flow).",
                v -> ratio(value(v, "packets_fwd") + value(v, "packets_rev"), value(v, "duration_s"))));
        c.add(column(flow, "host", "gap_cv_fwd", "ratio",
                "Coefficient of variation of the initiator's inter-packet gaps (gap_std_fwd_s / gap_mean_fwd_s): near 0 for machine-regular sending.",
                v -> ratio(value(v, "gap_std_fwd_s"), value(v, "gap_mean_fwd_s"))));
        c.add(burst(flow, "flows_burst_10s_10m", "flows_rate_10s", "flows_rate_10m",
                "flows_rate_10s / flows_rate_10m, each corrected for how long the host has been seen (a decayed rate over a "
                        + "younger history is low by 1 - exp(-age/tau)): above 1 when the host starts flows faster now than over "
                        + "ten minutes; 1 for a host's first flow."));
        c.add(burst(flow, "bytes_burst_10s_10m", "bytes_rate_10s", "bytes_rate_10m",
                "bytes_rate_10s / bytes_rate_10m, corrected for the host's age like flows_burst_10s_10m."));
        c.add(column(flow, "host", "ports_per_host_1m", "ratio",
                "distinct_dst_ports_1m / distinct_dst_hosts_1m: many ports on few hosts is a port scan, the reverse a sweep.",
                v -> ratio(value(v, "distinct_dst_ports_1m"), value(v, "distinct_dst_hosts_1m"))));
        c.add(pair(flow, "host", "bytes_fwd_rev_cov_1m", "bytes^2", Window.M1, "bytes_fwd", "bytes_rev", false,
                "Time-decayed covariance of bytes_fwd and bytes_rev across the host's flows (time constant 1m)."));
        c.add(pair(flow, "host", "bytes_fwd_rev_corr_1m", "ratio", Window.M1, "bytes_fwd", "bytes_rev", true,
                "Time-decayed correlation of bytes_fwd and bytes_rev across the host's flows (time constant 1m): "
                        + "near 1 when answers grow with requests, near 0 or below for one-way transfers."));
        c.add(pair(flow, "host", "duration_bytes_corr_10m", "ratio", Window.M10, "duration_s", "bytes_fwd", true,
                "Time-decayed correlation of flow duration and bytes_fwd across the host's flows (time constant 10m)."));
    }

    private static void processes(List<CrossColumn> c) {
        String process = EventKinds.PROCESS;
        c.add(column(process, "process", "resident_per_thread", "bytes", "resident_bytes / threads.",
                v -> ratio(value(v, "resident_bytes"), value(v, "threads"))));
        c.add(column(process, "process", "fds_per_thread", "count", "fds / threads.",
                v -> ratio(value(v, "fds"), value(v, "threads"))));
        c.add(column(process, "process", "socket_share", "ratio", "sockets / fds: a share near 1 is a network-bound process.",
                v -> ratio(value(v, "sockets"), value(v, "fds"))));
        c.add(column(process, "process", "resident_share", "ratio", "resident_bytes / virtual_bytes.",
                v -> ratio(value(v, "resident_bytes"), value(v, "virtual_bytes"))));
    }

    private static CrossColumn column(String kind, String entity, String name, String unit, String definition,
            ToDoubleFunction<FeatureVector> of) {
        return new CrossColumn(new FeatureDefinition(name, kind, entity, unit, "", definition), of, null, null);
    }

    private static CrossColumn burst(String kind, String name, String fast, String slow, String definition) {
        return new CrossColumn(new FeatureDefinition(name, kind, "host", "ratio", "10s/10m", definition), null, null,
                new CrossColumn.Burst(fast, Window.S10.seconds(), slow, Window.M10.seconds()));
    }

    private static CrossColumn pair(String kind, String entity, String name, String unit, Window window, String x, String y,
            boolean correlation, String definition) {
        return new CrossColumn(new FeatureDefinition(name, kind, entity, unit, window.suffix(), definition), null,
                new CrossColumn.Pair(x, y, window.nanos(), correlation), null);
    }
}
