package io.amoskys.stage.temporal;

import static io.amoskys.feature.stats.Window.M1;
import static io.amoskys.feature.stats.Window.M10;
import static io.amoskys.feature.stats.Window.S1;
import static io.amoskys.feature.stats.Window.S10;

import io.amoskys.api.event.EventKinds;
import io.amoskys.feature.stats.Window;
import java.util.List;

/** The temporal columns of each kind; changing them means raising {@link TemporalStage#VERSION}. */
final class TemporalFeatures {
    private static final Window[] ALL = {S1, S10, M1, M10};

    private TemporalFeatures() {}

    static List<KindPlan> plans() {
        return List.of(flows(), dns(), arp(), processes(), sensors());
    }

    /** Per host, over the flows it started. */
    private static KindPlan flows() {
        Measure flows = Measure.events("flows", "flows the host started");
        Measure bytes = Measure.sum("bytes", "bytes of the host's flows (both directions)", "bytes_fwd", "bytes_rev");
        Measure packets = Measure.sum("packets", "packets of the host's flows (both directions)", "packets_fwd", "packets_rev");
        Measure duration = Measure.sum("duration", "the duration of the host's flows", "duration_s");
        Measure hosts = Measure.label("dst", "destination addresses of the host's flows", "dst");
        Measure ports = Measure.label("dport", "destination ports of the host's TCP and UDP flows", "dport");
        return new KindPlan(EventKinds.FLOW, "host")
                .add("flows_rate", Stat.RATE, flows, "flows", ALL)
                .add("bytes_rate", Stat.SUM_RATE, bytes, "bytes", ALL)
                .add("packets_rate", Stat.SUM_RATE, packets, "packets", ALL)
                .add("flow_bytes_mean", Stat.MEAN, bytes, "bytes", ALL)
                .add("flow_bytes_std", Stat.STD, bytes, "bytes", ALL)
                .add("flow_bytes_min", Stat.MIN, bytes, "bytes", ALL)
                .add("flow_bytes_max", Stat.MAX, bytes, "bytes", ALL)
                .add("flow_duration_mean", Stat.MEAN, duration, "s", ALL)
                .add("distinct_dst_hosts", Stat.DISTINCT, hosts, "count", ALL)
                .add("distinct_dst_ports", Stat.DISTINCT, ports, "count", ALL)
                .compile();
    }

    /** Per host, over the DNS queries it sent and the answers it got. */
    private static KindPlan dns() {
        Measure messages = Measure.events("dns", "DNS messages of the host");
        Measure names = Measure.label("names", "names the host asked about", "query");
        Measure length = Measure.sum("length", "the length of the names the host asked about", "query_length");
        return new KindPlan(EventKinds.DNS, "host")
                .add("dns_rate", Stat.RATE, messages, "messages", ALL)
                .add("dns_distinct_names", Stat.DISTINCT, names, "count", ALL)
                .add("dns_query_length_mean", Stat.MEAN, length, "chars", ALL)
                .compile();
    }

    /** Per sender address, over its ARP messages. */
    private static KindPlan arp() {
        Measure messages = Measure.events("arp", "ARP messages the host sent");
        Measure replies = Measure.sum("replies", "ARP replies (is-at) the host sent", "reply");
        Measure targets = Measure.label("targets", "addresses the host asked or answered about", "target_ip");
        return new KindPlan(EventKinds.ARP, "host")
                .add("arp_rate", Stat.RATE, messages, "messages", S10, M1)
                .add("arp_reply_rate", Stat.SUM_RATE, replies, "replies", S10, M1)
                .add("arp_distinct_targets", Stat.DISTINCT, targets, "count", M1)
                .compile();
    }

    /** Per process, over the agent's looks at it. */
    private static KindPlan processes() {
        Measure cpu = Measure.sum("cpu", "the process's CPU use", "cpu_percent");
        Measure resident = Measure.sum("resident", "the process's resident memory", "resident_bytes");
        Measure threads = Measure.sum("threads", "the process's threads", "threads");
        Measure fds = Measure.sum("fds", "the process's open file descriptors", "fds");
        return new KindPlan(EventKinds.PROCESS, "process")
                .add("cpu_percent_mean", Stat.MEAN, cpu, "%", M1, M10)
                .add("cpu_percent_max", Stat.MAX, cpu, "%", M1, M10)
                .add("resident_bytes_mean", Stat.MEAN, resident, "bytes", M1, M10)
                .add("threads_max", Stat.MAX, threads, "count", M1, M10)
                .add("fds_max", Stat.MAX, fds, "count", M1, M10)
                .compile();
    }

    /** Per sensor, over its readings. */
    private static KindPlan sensors() {
        Measure readings = Measure.events("readings", "the sensor's readings");
        Measure value = Measure.sum("value", "the sensor's value", "value");
        Window[] windows = {S10, M1, M10};
        return new KindPlan(EventKinds.IOT, "sensor")
                .add("readings_rate", Stat.RATE, readings, "readings", windows)
                .add("value_mean", Stat.MEAN, value, "the reading's unit", windows)
                .add("value_std", Stat.STD, value, "the reading's unit", windows)
                .add("value_min", Stat.MIN, value, "the reading's unit", windows)
                .add("value_max", Stat.MAX, value, "the reading's unit", windows)
                .compile();
    }
}
