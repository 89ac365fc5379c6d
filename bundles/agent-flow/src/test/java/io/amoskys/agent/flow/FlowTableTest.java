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
