package io.amoskys.agent.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.pcap.CaptureReader;
import io.amoskys.pcap.LinkType;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowTableTest {
    private static final Path FOLDER = TsharkFlowAgreementTest.FOLDER;
    private static final double DAY = 86_400;

    private record Run(List<FlowRecord> records, FlowTable table, int largest) {}

    private static Run run(String capture, FlowTable.Settings settings) throws Exception {
        List<FlowRecord> records = new ArrayList<>();
        int[] largest = {0};
        FlowTable[] table = new FlowTable[1];
        table[0] = new FlowTable(settings, records::add);
        CaptureReader.read(FOLDER.resolve(capture), (link, nanos, original, frame) -> {
            table[0].packet(link, nanos, original, frame);
            largest[0] = Math.max(largest[0], table[0].size());
        });
        table[0].flush();
        return new Run(records, table[0], largest[0]);
    }

    private static long packetsIn(List<FlowRecord> records) {
        return records.stream().mapToLong(r -> r.forwardPackets() + r.reversePackets()).sum();
    }

    @Test
    void aLiveTablesClosedFlowIsReportedAtItsCloseTimeoutEvenBehindAnOpenFlowSeenEarlier() throws Exception {
        // masscan: unanswered SYNs stay open (idle timeout a day), answered ones close by RST.
        FlowTable.Settings settings = FlowTable.Settings.ofSeconds(1_000_000, DAY, DAY, 0.5);
        List<FlowRecord> records = new ArrayList<>();
        FlowTable table = new FlowTable(settings, records::add);
        table.advance(0); // a clocked (live) table; a capture file keeps the table's own order
        long[] last = {0};
        CaptureReader.read(FOLDER.resolve("esnet_masscan_tcp_0_1000.pcap"), (link, nanos, original, frame) -> {
            table.packet(link, nanos, original, frame);
            last[0] = Math.max(last[0], nanos);
        });
        assertTrue(table.openFlows().stream().anyMatch(f -> !f.closed()), "open flows stay in the table");
        assertTrue(records.stream().anyMatch(r -> r.end() == Flow.End.RST), "closed flows were reported before the end");
        assertTrue(table.openFlows().stream()
                        .noneMatch(f -> f.closed() && last[0] - f.lastNanos >= settings.closeTimeoutNanos()),
                "no flow closed longer than the close timeout is left waiting");
    }

    /** A raw IPv4 TCP packet (link type RAW): 10.0.0.SRC:SPORT to 10.0.0.2:DPORT with these flags. */
    private static ByteBuffer tcp(int src, int sport, int dport, int flags) {
        ByteBuffer b = ByteBuffer.allocate(40);
        b.put((byte) 0x45).put((byte) 0).putShort((short) 40).putInt(0).put((byte) 64).put((byte) 6).putShort((short) 0);
        b.putInt(0x0A000000 | src).putInt(0x0A000002);
        b.putShort((short) sport).putShort((short) dport).putInt(1).putInt(0).put((byte) 0x50).put((byte) flags)
                .putShort((short) 1024).putInt(0);
        return b.flip();
    }

    private static final int SYN = 0x02;
    private static final int RST = 0x04;
    private static final int ACK = 0x10;
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aClosedFlowThatKeepsGettingPacketsHoldsBackNoFlowClosedAfterIt() {
        List<FlowRecord> records = new ArrayList<>();
        FlowTable table = new FlowTable(FlowTable.Settings.ofSeconds(100, DAY, DAY, 5), records::add);
        table.advance(0);
        table.packet(LinkType.RAW, 0, 40, tcp(1, 1000, 80, SYN));
        table.packet(LinkType.RAW, 1, 40, tcp(1, 1000, 80, RST)); // A closes at once...
        table.packet(LinkType.RAW, SECOND / 10, 40, tcp(2, 2000, 80, SYN)); // O stays open: first in the table's own order
        table.packet(LinkType.RAW, SECOND / 2, 40, tcp(3, 3000, 80, SYN));
        table.packet(LinkType.RAW, SECOND / 2 + 1, 40, tcp(3, 3000, 80, RST)); // ...B half a second later
        for (int s = 1; s <= 10; s++) {
            table.packet(LinkType.RAW, s * SECOND, 40, tcp(1, 1000, 80, ACK)); // stray segments of A, every second
        }
        assertTrue(records.stream().anyMatch(r -> r.end() == Flow.End.RST && r.initiatorPort() == 3000),
                "B closed 9.5 s ago, past its 5 s close timeout: " + records);
        assertTrue(records.stream().noneMatch(r -> r.initiatorPort() == 1000), "A's last packet is fresh: it waits");
    }

    @Test
    void aFloodOfResetsKeepsTheClosingQueueWithinTheTablesBound() {
        FlowTable table = new FlowTable(FlowTable.Settings.ofSeconds(100, DAY, DAY, 60), r -> { });
        table.advance(0);
        table.packet(LinkType.RAW, 0, 40, tcp(1, 1000, 80, SYN));
        table.packet(LinkType.RAW, 1, 40, tcp(1, 1000, 80, RST));
        for (int i = 0; i < 100_000; i++) {
            table.packet(LinkType.RAW, 2 + i, 40, tcp(1, 1000, 80, ACK)); // the head keeps getting packets
            table.packet(LinkType.RAW, 2 + i, 40, tcp(5 + (i & 0xff), 2000 + (i >>> 8), 80, RST)); // each a flow closed at once
        }
        assertTrue(table.size() <= 100);
        assertTrue(table.closingQueued() <= 2 * 100 + 1024, "closing entries: " + table.closingQueued());
    }

    @Test
    void aFullTableEvictsItsLeastRecentlySeenFlowAndLosesNoPacket() throws Exception {
        Run bounded = run("esnet_masscan_tcp_0_1000.pcap", FlowTable.Settings.ofSeconds(10, DAY, DAY, DAY));
        Run unbounded = run("esnet_masscan_tcp_0_1000.pcap", FlowTable.Settings.ofSeconds(1_000_000, DAY, DAY, DAY));
        assertEquals(10, bounded.largest(), "the table never holds more than maxFlows");
        assertTrue(bounded.table().counters().evicted > 900, "evictions counted: " + bounded.table().counters().evicted);
        assertEquals(packetsIn(unbounded.records()), packetsIn(bounded.records()), "every packet is in some record");
        assertTrue(bounded.records().stream().anyMatch(r -> r.end() == Flow.End.EVICTED));
    }

    @Test
    void everyIpPacketOfEveryCaptureLandsInExactlyOneRecord() throws Exception {
        for (String capture : List.of("slips_cc_semiperiodic_2to3s.pcap", "sanders_arppoison.pcapng", "ppa_dns.cap",
                "evilfingers_nmap_IP_PROTOCOL_SCAN.pcap", "sv_icmp_and_ssh.pcap", "zeek_dhcp_flood.pcap")) {
            for (FlowTable.Settings settings : List.of(FlowTable.Settings.ofSeconds(1_000, DAY, DAY, DAY),
                    FlowTable.Settings.ofSeconds(50, 1, 10, 0.5))) {
                Run r = run(capture, settings);
                FlowCounters c = r.table().counters();
                assertEquals(c.packets - c.notIp - c.errorCount(), packetsIn(r.records()), capture + " " + settings);
                assertEquals(c.flows, r.records().size());
            }
        }
    }

    @Test
    void shortTimeoutsSplitLongFlowsAndSayWhy() throws Exception {
        Run whole = run("sv_telnet.pcap", FlowTable.Settings.ofSeconds(1_000, DAY, DAY, DAY));
        assertEquals(1, whole.records().size());
        Run split = run("sv_telnet.pcap", FlowTable.Settings.ofSeconds(1_000, 60, 2, 1));
        assertTrue(split.records().size() > 1, "a 2 s active timeout splits the telnet session");
        Map<Flow.End, Integer> ends = new EnumMap<>(Flow.End.class);
        split.records().forEach(r -> ends.merge(r.end(), 1, Integer::sum));
        assertTrue(ends.containsKey(Flow.End.ACTIVE), ends.toString());
        assertEquals(packetsIn(whole.records()), packetsIn(split.records()));
    }

    @Test
    void scansEndInResetsAndNameBothEnds() throws Exception {
        Run scan = run("evilfingers_nmap_TCP_SYN_SCAN.pcap", FlowTable.Settings.ofSeconds(100_000, DAY, DAY, DAY));
        long resets = scan.records().stream().filter(r -> r.end() == Flow.End.RST).count();
        assertTrue(resets > 900, "closed ports answer with RST: " + resets);
        FlowRecord probe = scan.records().stream().filter(r -> r.end() == Flow.End.RST).findFirst().orElseThrow();
        assertEquals(1, probe.forwardFlags()[0], "one SYN from the scanner");
        assertEquals(1, probe.reverseFlags()[2], "one RST back");
        assertEquals(0, probe.forwardPayloadBytes());
    }

    @Test
    void addressesAreWrittenInTheirCanonicalForms() {
        assertEquals("192.168.0.1", FlowRecord.address(4, 0, 0xC0A80001L));
        assertEquals("::1", FlowRecord.address(6, 0, 1));
        assertEquals("::", FlowRecord.address(6, 0, 0));
        assertEquals("2001:db8::1", FlowRecord.address(6, 0x20010db800000000L, 1));
        assertEquals("fe80::1:0:1", FlowRecord.address(6, 0xfe80000000000000L, 0x0000000100000000L | 1));
        assertEquals("1:0:0:2::3", FlowRecord.address(6, 0x0001000000000002L, 3), "the longer zero run is the one shortened");
        assertEquals("2001:db8:0:1:1:1:1:1", FlowRecord.address(6, 0x20010db800000001L, 0x0001000100010001L));
    }

    @Test
    void packetsOfAnUnknownLinkTypeAreCountedByClassAndTheRestStillFlows() {
        FlowTable table = new FlowTable(FlowTable.Settings.ofSeconds(10, DAY, DAY, DAY), r -> { });
        ByteBuffer frame = ByteBuffer.wrap(new byte[64]);
        table.packet(147, 1, 64, frame); // LINKTYPE_USER0: nothing the decoder knows
        table.packet(LinkType.ETHERNET, 2, 20, ByteBuffer.wrap(new byte[10])); // cut Ethernet
        assertEquals(1L, table.counters().errors.get(FlowCounters.Error.UNKNOWN_LINK_TYPE));
        assertEquals("link type 147", table.counters().firstMessages.get(FlowCounters.Error.UNKNOWN_LINK_TYPE));
        assertEquals(1L, table.counters().errors.get(FlowCounters.Error.MALFORMED_PACKET));
        assertEquals(2, table.counters().packets);
    }
}
