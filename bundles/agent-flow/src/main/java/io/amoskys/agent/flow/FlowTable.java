package io.amoskys.agent.flow;

import io.amoskys.pcap.PacketVisitor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Packets to flows, in a table that never holds more than {@code maxFlows} flows: the least
 * recently seen flow is evicted (reported, and counted) to make room. Time is the packets' own
 * clock, so a capture replays the same way at any speed.
 *
 * <p>A flow ends when it has been idle for the idle timeout, when it has been open for the active
 * timeout (it is then reported and goes on as a new record), or, for TCP, when FIN has been seen
 * both ways or RST once; packets after that (the last ACK, retransmissions) still join it, until a
 * SYN opens a new connection on the same ports or the close timeout passes. Not thread-safe: one
 * table per reading thread.
 */
final class FlowTable implements PacketVisitor {
    /** Settings; timeouts in nanoseconds. */
    record Settings(int maxFlows, long idleTimeoutNanos, long activeTimeoutNanos, long closeTimeoutNanos) {
        Settings {
            if (maxFlows < 1 || idleTimeoutNanos <= 0 || activeTimeoutNanos <= 0 || closeTimeoutNanos <= 0) {
                throw new IllegalArgumentException("maxFlows must be >= 1 and timeouts > 0");
            }
            if (closeTimeoutNanos > idleTimeoutNanos) {
                throw new IllegalArgumentException("the close timeout must not exceed the idle timeout");
            }
        }

        static Settings ofSeconds(int maxFlows, double idle, double active, double close) {
            return new Settings(maxFlows, (long) (idle * 1e9), (long) (active * 1e9), (long) (close * 1e9));
        }
    }

    /** Receives ARP, DHCP and DNS observations as packets carry them. */
    @FunctionalInterface
    interface ObservationSink {
        void observed(long nanos, Record observation, DecodedPacket packet);
    }

    private final Settings settings;
    private final Consumer<FlowRecord> sink;
    private final ObservationSink observations;
    private final PacketDecoder decoder = new PacketDecoder();
    private final DecodedPacket packet = new DecodedPacket();
    /** The open flows; its eldest is always the least recently seen one. */
    private final FlowIndex flows = new FlowIndex();
    /** Flows closed by FIN or RST, oldest close first (see {@link #expireClosed}). */
    private final ArrayDeque<Flow> closing = new ArrayDeque<>();
    /**
     * Set once a clock moves the table (a live capture): from then on closed flows are reported at
     * their close timeout. A capture file keeps the table's own order, which the shipped models
     * were trained on (changing it means training them again).
     */
    private boolean clocked;
    private final FlowCounters counters = new FlowCounters();
    private final EndpointTexts texts = new EndpointTexts();

    FlowTable(Settings settings, Consumer<FlowRecord> sink) {
        this(settings, sink, (nanos, observation, packet) -> { });
    }

    FlowTable(Settings settings, Consumer<FlowRecord> sink, ObservationSink observations) {
        this.settings = settings;
        this.sink = sink;
        this.observations = observations;
    }

    /** The text of the endpoints this table's records name; for the thread that feeds the table. */
    EndpointTexts texts() {
        return texts;
    }

    FlowCounters counters() {
        return counters;
    }

    int size() {
        return flows.size();
    }

    @Override
    public void packet(int linkType, long nanos, int originalLength, ByteBuffer frame) {
        counters.packets++;
        decoder.decode(linkType, frame, packet);
        switch (packet.kind) {
            case IP, FRAGMENT -> {
                if (packet.kind == DecodedPacket.Kind.FRAGMENT) {
                    counters.fragments++;
                }
                expire(nanos);
                Flow flow = account(nanos, originalLength);
                if (packet.kind == DecodedPacket.Kind.IP && packet.protocol == PacketDecoder.UDP) {
                    observeUdp(frame, nanos, flow);
                }
            }
            case NOT_IP -> {
                counters.notIp++;
                if (packet.etherType == PacketDecoder.ETHERTYPE_ARP) {
                    Observations.Arp arp = Observations.arp(bigEndian(frame), packet.payloadOffset, packet.frameEnd);
                    observe(nanos, arp, FlowCounters.Error.MALFORMED_ARP, "ARP");
                }
            }
            case UNKNOWN_LINK -> counters.error(FlowCounters.Error.UNKNOWN_LINK_TYPE, "link type " + linkType);
            case MALFORMED -> counters.error(FlowCounters.Error.MALFORMED_PACKET, packet.problem);
        }
    }

    /**
     * Moves the table's clock to {@code now} without a packet (a live capture on a quiet wire), so
     * that flows idle or closed for long enough are reported.
     */
    void advance(long now) {
        clocked = true;
        expireClosed(now);
        expire(now);
    }

    /** Reports every flow still in the table (the capture ended, or the agent stops). */
    void flush() {
        closing.clear();
        for (Flow flow = flows.removeEldest(); flow != null; flow = flows.removeEldest()) {
            emit(flow, flow.closed() ? flow.closedBy : Flow.End.END_OF_INPUT);
        }
    }

    private void observeUdp(ByteBuffer frame, long nanos, Flow flow) {
        if (packet.payloadLength == 0 || packet.payloadOffset + packet.payloadLength > packet.frameEnd) {
            return; // an empty probe, or a message the capture cut short: nothing to read, nothing wrong
        }
        int src = packet.srcPort;
        int dst = packet.dstPort;
        if (src == Observations.DNS_PORT || dst == Observations.DNS_PORT || src == Observations.MDNS_PORT || dst == Observations.MDNS_PORT) {
            Observations.Dns dns = Observations.dns(bigEndian(frame), packet.payloadOffset, packet.frameEnd);
            if (dns != null && flow.dnsQuery == null) {
                flow.dnsQuery = dns.query();
            }
            observe(nanos, dns, FlowCounters.Error.MALFORMED_DNS, "DNS");
        } else if ((src == Observations.DHCP_CLIENT && dst == Observations.DHCP_SERVER)
                || (src == Observations.DHCP_SERVER && dst == Observations.DHCP_CLIENT)) {
            Observations.Dhcp dhcp = Observations.dhcp(bigEndian(frame), packet.payloadOffset, packet.frameEnd);
            observe(nanos, dhcp, FlowCounters.Error.MALFORMED_DHCP, "DHCP");
        }
    }

    private void observe(long nanos, Record observation, FlowCounters.Error error, String what) {
        if (observation == null) {
            counters.error(error, what + " message that does not parse, from " + FlowRecord.address(packet.ipVersion == 0 ? 4 : packet.ipVersion,
                    packet.srcHi, packet.srcLo));
        } else {
            counters.observations++;
            observations.observed(nanos, observation, packet);
        }
    }

    private static ByteBuffer bigEndian(ByteBuffer frame) {
        return frame.order() == ByteOrder.BIG_ENDIAN ? frame : frame.duplicate().order(ByteOrder.BIG_ENDIAN);
    }

    private Flow account(long nanos, int wireLength) {
        Flow flow = flows.find(packet);
        if (flow != null && startsNewFlow(flow, nanos)) {
            flows.remove(flow);
            emit(flow, flow.closed() ? flow.closedBy : Flow.End.ACTIVE);
            flow = null;
        }
        if (flow == null) {
            if (flows.size() >= settings.maxFlows()) {
                Flow evicted = flows.removeEldest();
                counters.evicted++;
                emit(evicted, Flow.End.EVICTED);
            }
            flow = new Flow(FlowKey.of(packet), packet, nanos);
            flows.add(flow);
        } else {
            flows.touch(flow);
        }
        boolean wasClosed = flow.closed();
        flow.add(packet, nanos, wireLength);
        flows.updated(flow);
        if (clocked && !wasClosed && flow.closed()) {
            flow.closingQueuedNanos = flow.lastNanos;
            closing.addLast(flow);
            if (closing.size() > 2 * settings.maxFlows() + 1024) {
                // Entries of flows reported meanwhile (evicted: a flood of resets) wait for the head; drop them now.
                closing.removeIf(f -> f.reported);
            }
        }
        return flow;
    }

    /** A SYN after the connection closed, or the active timeout, starts a new record. */
    private boolean startsNewFlow(Flow flow, long nanos) {
        boolean newConnection = flow.closed() && packet.protocol == PacketDecoder.TCP && (packet.tcpFlags & 0x12) == 0x02;
        return newConnection || nanos - flow.firstNanos >= settings.activeTimeoutNanos();
    }

    private void expire(long now) {
        if (clocked) {
            expireClosed(now);
        }
        while (flows.size() > 0) {
            long timeout = flows.eldestClosed() ? settings.closeTimeoutNanos() : settings.idleTimeoutNanos();
            if (now - flows.eldestLastNanos() < timeout) {
                // Every later flow was seen more recently and its timeout is no shorter than the
                // close timeout (which is no longer than the idle one): none of them is due.
                return;
            }
            Flow flow = flows.removeEldest();
            emit(flow, flow.closed() ? flow.closedBy : Flow.End.IDLE);
        }
    }

    /**
     * Flows closed by FIN or RST, in the order they closed: the table's own order is by last
     * packet, so one open flow seen earlier would otherwise hold every later closed flow back until
     * its idle timeout. An entry whose flow has left the table already (evicted, expired, or
     * replaced by a new connection) is dropped when it comes up.
     */
    private void expireClosed(long now) {
        for (Flow flow = closing.peekFirst(); flow != null; flow = closing.peekFirst()) {
            if (flow.reported) {
                closing.pollFirst();
            } else if (now - flow.lastNanos >= settings.closeTimeoutNanos()) {
                closing.pollFirst();
                flows.remove(flow);
                emit(flow, flow.closedBy);
            } else if (flow.lastNanos != flow.closingQueuedNanos) {
                // Packets came after it closed: it goes behind the flows that closed since, in the
                // order of their last packets, rather than holding them back.
                closing.pollFirst();
                flow.closingQueuedNanos = flow.lastNanos;
                closing.addLast(flow);
            } else {
                return;
            }
        }
    }

    /** Entries in the closing queue (a live table's closed flows, and some already reported). */
    int closingQueued() {
        return closing.size();
    }

    private void emit(Flow flow, Flow.End end) {
        flow.reported = true;
        counters.flows++;
        sink.accept(FlowRecord.of(flow, end, texts));
    }

    /** The open flows, least recently seen first (a copy). */
    List<Flow> openFlows() {
        return flows.inOrder();
    }
}
