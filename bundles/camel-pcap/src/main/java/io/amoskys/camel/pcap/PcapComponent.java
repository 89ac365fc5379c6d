package io.amoskys.camel.pcap;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code pcap:} component: {@code pcap:file:PATH} reads a capture file (consumer) or writes
 * one (producer). Packets travel as {@link io.amoskys.pcap.PacketBatch} bodies. Options are
 * documented in docs/components/pcap.md.
 */
public class PcapComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        int colon = remaining.indexOf(':');
        String mode = colon < 0 ? remaining : remaining.substring(0, colon);
        String target = colon < 0 ? "" : remaining.substring(colon + 1);
        if (!mode.equals("file")) {
            throw new IllegalArgumentException("'" + uri + "': unknown mode '" + mode
                    + "'; this version reads and writes capture files: pcap:file:PATH");
        }
        if (target.isBlank()) {
            throw new IllegalArgumentException("'" + uri + "' names no file: pcap:file:PATH");
        }
        PcapEndpoint endpoint = new PcapEndpoint(uri, this, target);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
