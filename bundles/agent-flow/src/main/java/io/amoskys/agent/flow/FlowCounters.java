package io.amoskys.agent.flow;

import java.util.EnumMap;
import java.util.Map;

/** What a flow table saw: packets by fate, flows reported, evictions, errors by class. */
final class FlowCounters {
    /** Packets the table could not place in a flow for a reason worth an operator's look. */
    enum Error {
        MALFORMED_PACKET,
        UNKNOWN_LINK_TYPE,
        MALFORMED_ARP,
        MALFORMED_DHCP,
        MALFORMED_DNS
    }

    long packets;
    long notIp;
    long fragments;
    long flows;
    long evicted;
    /** ARP, DHCP and DNS messages read. */
    long observations;
    final Map<Error, Long> errors = new EnumMap<>(Error.class);
    final Map<Error, String> firstMessages = new EnumMap<>(Error.class);

    void error(Error error, String message) {
        errors.merge(error, 1L, Long::sum);
        firstMessages.putIfAbsent(error, message);
    }

    long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}
