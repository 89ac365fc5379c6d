package io.amoskys.camel.pcap;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code pcap:} component: {@code pcap:file:PATH} reads a capture file (consumer) or writes
 * one (producer); {@code pcap:live:INTERFACE} captures from a network interface through libpcap. Packets travel as {@link io.amoskys.pcap.PacketBatch} bodies. Options are
 * documented in docs/components/pcap.md.
 */
public class PcapComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        int colon = remaining.indexOf(':');
        String mode = colon < 0 ? remaining : remaining.substring(0, colon);
        String target = colon < 0 ? "" : remaining.substring(colon + 1);
        if (!mode.equals("file") && !mode.equals("live")) {
            throw new IllegalArgumentException("'" + uri + "': unknown mode '" + mode
                    + "'; use pcap:file:PATH or pcap:live:INTERFACE");
        }
        if (target.isBlank()) {
            throw new IllegalArgumentException("'" + uri + "' names no " + (mode.equals("file") ? "file" : "interface"));
        }
        PcapEndpoint endpoint = new PcapEndpoint(uri, this, mode.equals("live"), target);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
