package io.amoskys.agent.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The index against what it replaced: a LinkedHashMap in access order, keyed by FlowKey. */
class FlowIndexTest {

    @Test
    void findsAddsTouchesAndRemovesInTheOrderOfAnAccessOrderedMap() {
        SplittableRandom random = new SplittableRandom(7);
        FlowIndex index = new FlowIndex();
        LinkedHashMap<FlowKey, Flow> reference = new LinkedHashMap<>(16, 0.75f, true);
        DecodedPacket packet = new DecodedPacket();
        for (int step = 0; step < 200_000; step++) {
            randomPacket(random, packet);
            FlowKey key = FlowKey.of(packet);
            Flow expected = reference.get(key); // touches, as the table's lookup did
            Flow found = index.find(packet);
            assertSame(expected, found, "step " + step + ": the flow of " + key);
            if (found == null) {
                Flow flow = new Flow(key, packet, step);
                reference.put(key, flow);
                index.add(flow);
            } else {
                index.touch(found);
                found.add(packet, step, 60);
                index.updated(found);
            }
            int action = random.nextInt(10);
            if (action == 0 && !reference.isEmpty()) { // evict or expire the eldest
                Flow eldest = reference.values().iterator().next();
                assertSame(eldest, index.eldest());
                reference.remove(eldest.key);
                index.remove(eldest);
            } else if (action == 1 && !reference.isEmpty()) { // a closed flow leaves from the middle
                List<Flow> all = new ArrayList<>(reference.values());
                Flow leaving = all.get(random.nextInt(all.size()));
                reference.remove(leaving.key);
                index.remove(leaving);
            }
            assertEquals(reference.size(), index.size());
            if (index.eldest() != null) {
                assertEquals(index.eldest().lastNanos, index.eldestLastNanos(), "the eldest's last packet, kept at step " + step);
                assertEquals(index.eldest().closed(), index.eldestClosed(), "whether the eldest closed, kept at step " + step);
            }
            if (step % 10_000 == 0) {
                assertEquals(new ArrayList<>(reference.values()), index.inOrder(), "order at step " + step);
            }
        }
        assertEquals(new ArrayList<>(reference.values()), index.inOrder());
        for (Flow expected : reference.values()) { // drained as the table drains it: least recently seen first
            assertSame(expected, index.removeEldest());
        }
        assertNull(index.removeEldest());
        assertEquals(0, index.size());
        randomPacket(random, packet);
        assertNull(index.find(packet));
    }

    @Test
    void bothDirectionsOfAConversationFindTheSameFlow() {
        FlowIndex index = new FlowIndex();
        DecodedPacket out = packet(0xC0A80001L, 40000, 0xC0A80002L, 22, PacketDecoder.TCP);
        Flow flow = new Flow(FlowKey.of(out), out, 0);
        index.add(flow);
        assertSame(flow, index.find(packet(0xC0A80002L, 22, 0xC0A80001L, 40000, PacketDecoder.TCP)));
        assertNull(index.find(packet(0xC0A80002L, 22, 0xC0A80001L, 40000, PacketDecoder.UDP)), "another protocol");
        DecodedPacket tagged = packet(0xC0A80002L, 22, 0xC0A80001L, 40000, PacketDecoder.TCP);
        tagged.vlan = 10;
        assertNull(index.find(tagged), "another VLAN");
    }

    @Test
    void aPacketToTheOnlyFlowMovesTheEldestsDeadline() {
        FlowIndex index = new FlowIndex();
        DecodedPacket syn = packet(0xC0A80001L, 40000, 0xC0A80002L, 22, PacketDecoder.TCP);
        syn.tcpFlags = 0x02;
        Flow flow = new Flow(FlowKey.of(syn), syn, 100);
        index.add(flow);
        flow.add(syn, 100, 60);
        index.updated(flow);
        assertEquals(100, index.eldestLastNanos());
        DecodedPacket reset = packet(0xC0A80002L, 22, 0xC0A80001L, 40000, PacketDecoder.TCP);
        reset.tcpFlags = 0x04;
        Flow same = index.find(reset);
        index.touch(same); // the only flow: still the eldest
        same.add(reset, 250, 60);
        index.updated(same);
        assertSame(flow, index.eldest());
        assertEquals(250, index.eldestLastNanos(), "the last packet's time");
        assertEquals(true, index.eldestClosed(), "closed by the RST");
    }

    /** A packet among few hosts and ports (so conversations repeat), IPv4 or IPv6, TCP, UDP or ICMP, sometimes tagged or closing. */
    private static void randomPacket(SplittableRandom random, DecodedPacket p) {
        boolean v6 = random.nextInt(4) == 0;
        int[] protocols = {PacketDecoder.TCP, PacketDecoder.UDP, PacketDecoder.ICMP};
        p.reset();
        p.kind = DecodedPacket.Kind.IP;
        p.ipVersion = v6 ? 6 : 4;
        p.srcHi = v6 ? 0x20010db800000000L : 0;
        p.dstHi = p.srcHi;
        p.srcLo = 0x0A000000L + random.nextInt(12);
        p.dstLo = 0x0A000000L + random.nextInt(12);
        p.protocol = protocols[random.nextInt(3)];
        p.srcPort = 1000 + random.nextInt(4);
        p.dstPort = 1000 + random.nextInt(4);
        p.vlan = random.nextInt(8) == 0 ? 5 : -1;
        p.tcpFlags = p.protocol == PacketDecoder.TCP && random.nextInt(20) == 0 ? 0x04 : 0x10; // an RST now and then
    }

    private static DecodedPacket packet(long src, int srcPort, long dst, int dstPort, int protocol) {
        DecodedPacket p = new DecodedPacket();
        p.reset();
        p.kind = DecodedPacket.Kind.IP;
        p.ipVersion = 4;
        p.srcLo = src;
        p.srcPort = srcPort;
        p.dstLo = dst;
        p.dstPort = dstPort;
        p.protocol = protocol;
        return p;
    }
}
