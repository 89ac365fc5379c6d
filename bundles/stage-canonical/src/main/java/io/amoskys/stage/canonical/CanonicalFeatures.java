package io.amoskys.stage.canonical;

import io.amoskys.api.event.EventKinds;
import io.amoskys.api.feature.FeatureDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * The metrics of the kinds the platform's own agents send, as canonical columns with their units.
 * Events of these kinds always give these columns in this order, so their schemas are stable.
 */
final class CanonicalFeatures {
    static final List<FeatureDefinition> ALL = build();

    private CanonicalFeatures() {}

    private static List<FeatureDefinition> build() {
        List<FeatureDefinition> d = new ArrayList<>();
        String flow = EventKinds.FLOW;
        String[][] directions = {{"fwd", "from the initiator to the responder"}, {"rev", "from the responder back to the initiator"}};
        for (String[] dir : directions) {
            d.add(def(flow, "host", "packets_" + dir[0], "packets", "Packets of the flow " + dir[1] + "."));
            d.add(def(flow, "host", "bytes_" + dir[0], "bytes", "IP bytes (headers included) of the flow " + dir[1] + "."));
            d.add(def(flow, "host", "payload_" + dir[0], "bytes", "Transport payload bytes of the flow " + dir[1] + "."));
        }
        d.add(def(flow, "host", "duration_s", "s", "Time from the flow's first to its last packet."));
        for (String[] dir : directions) {
            for (String stat : new String[] {"mean", "std", "min", "max"}) {
                d.add(def(flow, "host", "gap_" + stat + "_" + dir[0] + "_s", "s",
                        "The " + stat + " of the times between consecutive packets " + dir[1] + " (0 with fewer than two)."));
            }
        }
        for (String flag : new String[] {"syn", "fin", "rst", "psh", "ack", "urg"}) {
            for (String[] dir : directions) {
                d.add(def(flow, "host", flag + "_" + dir[0], "packets",
                        "TCP packets with the " + flag.toUpperCase() + " flag " + dir[1] + "."));
            }
        }
        d.add(def(EventKinds.DNS, "host", "answer_count", "count", "Answers in a DNS response (0 for a query)."));
        d.add(def(EventKinds.DNS, "host", "query_length", "chars", "Length of the queried name."));
        d.add(def(EventKinds.DNS, "host", "rcode", "code", "The response code (0 NOERROR, 3 NXDOMAIN; 0 for a query)."));
        d.add(def(EventKinds.ARP, "host", "reply", "flag", "1 for an ARP reply (is-at), 0 for a request (who-has)."));
        d.add(def(EventKinds.DHCP, "client", "from_client", "flag", "1 for a message a client sends (DISCOVER, REQUEST, ...), 0 for a server's."));
        d.add(def(EventKinds.PROCESS, "process", "cpu_percent", "%", "CPU time over wall time since the previous look, of one core (0 on first sight)."));
        d.add(def(EventKinds.PROCESS, "process", "fds", "count", "Open file descriptors (0 when the agent may not read them)."));
        d.add(def(EventKinds.PROCESS, "process", "resident_bytes", "bytes", "Resident memory."));
        d.add(def(EventKinds.PROCESS, "process", "sockets", "count", "Open sockets among the file descriptors."));
        d.add(def(EventKinds.PROCESS, "process", "threads", "count", "Threads."));
        d.add(def(EventKinds.PROCESS, "process", "virtual_bytes", "bytes", "Virtual memory size."));
        d.add(def(EventKinds.IOT, "sensor", "value", "the reading's unit", "The sensor's numeric reading, in the unit the agent normalised it to."));
        return List.copyOf(d);
    }

    private static FeatureDefinition def(String kind, String entity, String name, String unit, String definition) {
        return new FeatureDefinition(name, kind, entity, unit, "", definition);
    }
}
