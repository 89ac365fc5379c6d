package io.amoskys.stage.cross;

import static io.amoskys.stage.cross.CrossColumn.ratio;

import io.amoskys.api.event.EventKinds;
import io.amoskys.api.feature.FeatureDefinition;
import io.amoskys.feature.stats.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** The cross features of each kind; changing them means raising {@link CrossStage#VERSION}. */
final class CrossFeatures {
    private CrossFeatures() {}

    /** One kind's columns and the inputs they read. */
    record Kind(String kind, Inputs inputs, List<CrossColumn> columns) {}

    static List<Kind> all() {
        return List.of(flows(), processes());
    }

    private static Kind flows() {
        String flow = EventKinds.FLOW;
        List<CrossColumn> c = new ArrayList<>();
        Inputs in = new Inputs();
        int bytesFwd = in.of("bytes_fwd");
        int bytesRev = in.of("bytes_rev");
        int packetsFwd = in.of("packets_fwd");
        int packetsRev = in.of("packets_rev");
        int payloadFwd = in.of("payload_fwd");
        int payloadRev = in.of("payload_rev");
        int synFwd = in.of("syn_fwd");
        int synRev = in.of("syn_rev");
        int ackFwd = in.of("ack_fwd");
        int ackRev = in.of("ack_rev");
        int rstFwd = in.of("rst_fwd");
        int rstRev = in.of("rst_rev");
        int duration = in.of("duration_s");
        int gapStdFwd = in.of("gap_std_fwd_s");
        int gapMeanFwd = in.of("gap_mean_fwd_s");
        int ports1m = in.of("distinct_dst_ports_1m");
        int hosts1m = in.of("distinct_dst_hosts_1m");
        c.add(column(flow, "host", "bytes_per_packet_fwd", "bytes", "bytes_fwd / packets_fwd (0 without packets).",
                x -> ratio(x[bytesFwd], x[packetsFwd])));
        c.add(column(flow, "host", "bytes_per_packet_rev", "bytes", "bytes_rev / packets_rev (0 without packets).",
                x -> ratio(x[bytesRev], x[packetsRev])));
        c.add(column(flow, "host", "out_bytes_share", "ratio",
                "bytes_fwd / (bytes_fwd + bytes_rev): the initiator's share of the flow's bytes (1 when nothing came back).",
                x -> ratio(x[bytesFwd], x[bytesFwd] + x[bytesRev])));
        c.add(column(flow, "host", "reply_packet_ratio", "ratio", "packets_rev / packets_fwd: answers per packet sent.",
                x -> ratio(x[packetsRev], x[packetsFwd])));
        c.add(column(flow, "host", "payload_share", "ratio", "Payload bytes over all bytes, both directions.",
                x -> ratio(x[payloadFwd] + x[payloadRev], x[bytesFwd] + x[bytesRev])));
        c.add(column(flow, "host", "syn_ack_ratio", "ratio",
                "SYN packets per ACK packet, both directions (SYNs when there is no ACK): high for unanswered connection attempts.",
                x -> {
                    double syn = x[synFwd] + x[synRev];
                    double ack = x[ackFwd] + x[ackRev];
                    return ack == 0 ? syn : syn / ack;
                }));
        c.add(column(flow, "host", "rst_share", "ratio", "Packets with RST over all packets of the flow.",
                x -> ratio(x[rstFwd] + x[rstRev], x[packetsFwd] + x[packetsRev])));
        c.add(column(flow, "host", "packets_per_second", "1/s", "Packets, both directions, over the flow's duration (0 for an instant flow).",
                x -> ratio(x[packetsFwd] + x[packetsRev], x[duration])));
        c.add(column(flow, "host", "gap_cv_fwd", "ratio",
                "Coefficient of variation of the initiator's inter-packet gaps (gap_std_fwd_s / gap_mean_fwd_s): near 0 for machine-regular sending.",
                x -> ratio(x[gapStdFwd], x[gapMeanFwd])));
        c.add(burst(in, flow, "flows_burst_10s_10m", "flows_rate_10s", "flows_rate_10m",
                "flows_rate_10s / flows_rate_10m, each corrected for how long the host has been seen (a decayed rate over a "
                        + "younger history is low by 1 - exp(-age/tau)): above 1 when the host starts flows faster now than over "
                        + "ten minutes; 1 for a host's first flow."));
        c.add(burst(in, flow, "bytes_burst_10s_10m", "bytes_rate_10s", "bytes_rate_10m",
                "bytes_rate_10s / bytes_rate_10m, corrected for the host's age like flows_burst_10s_10m."));
        c.add(column(flow, "host", "ports_per_host_1m", "ratio",
                "distinct_dst_ports_1m / distinct_dst_hosts_1m: many ports on few hosts is a port scan, the reverse a sweep.",
                x -> ratio(x[ports1m], x[hosts1m])));
        c.add(pair(in, flow, "host", "bytes_fwd_rev_cov_1m", "bytes^2", Window.M1, "bytes_fwd", "bytes_rev", false,
                "Time-decayed covariance of bytes_fwd and bytes_rev across the host's flows (time constant 1m)."));
        c.add(pair(in, flow, "host", "bytes_fwd_rev_corr_1m", "ratio", Window.M1, "bytes_fwd", "bytes_rev", true,
                "Time-decayed correlation of bytes_fwd and bytes_rev across the host's flows (time constant 1m): "
                        + "near 1 when answers grow with requests, near 0 or below for one-way transfers."));
        c.add(pair(in, flow, "host", "duration_bytes_corr_10m", "ratio", Window.M10, "duration_s", "bytes_fwd", true,
                "Time-decayed correlation of flow duration and bytes_fwd across the host's flows (time constant 10m)."));
        return new Kind(flow, in.freeze(), List.copyOf(c));
    }

    private static Kind processes() {
        String process = EventKinds.PROCESS;
        List<CrossColumn> c = new ArrayList<>();
        Inputs in = new Inputs();
        int resident = in.of("resident_bytes");
        int threads = in.of("threads");
        int fds = in.of("fds");
        int sockets = in.of("sockets");
        int virtual = in.of("virtual_bytes");
        c.add(column(process, "process", "resident_per_thread", "bytes", "resident_bytes / threads.",
                x -> ratio(x[resident], x[threads])));
        c.add(column(process, "process", "fds_per_thread", "count", "fds / threads.",
                x -> ratio(x[fds], x[threads])));
        c.add(column(process, "process", "socket_share", "ratio", "sockets / fds: a share near 1 is a network-bound process.",
                x -> ratio(x[sockets], x[fds])));
        c.add(column(process, "process", "resident_share", "ratio", "resident_bytes / virtual_bytes.",
                x -> ratio(x[resident], x[virtual])));
        return new Kind(process, in.freeze(), List.copyOf(c));
    }

    private static CrossColumn column(String kind, String entity, String name, String unit, String definition,
            ToDoubleFunction<double[]> of) {
        return new CrossColumn(new FeatureDefinition(name, kind, entity, unit, "", definition), of, null, null);
    }

    private static CrossColumn burst(Inputs in, String kind, String name, String fast, String slow, String definition) {
        return new CrossColumn(new FeatureDefinition(name, kind, "host", "ratio", "10s/10m", definition), null, null,
                new CrossColumn.Burst(in.of(fast), Window.S10.seconds(), in.of(slow), Window.M10.seconds()));
    }

    private static CrossColumn pair(Inputs in, String kind, String entity, String name, String unit, Window window, String x, String y,
            boolean correlation, String definition) {
        return new CrossColumn(new FeatureDefinition(name, kind, entity, unit, window.suffix(), definition), null,
                new CrossColumn.Pair(in.of(x), in.of(y), window.nanos(), correlation), null);
    }
}
