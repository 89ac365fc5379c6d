package io.amoskys.agent.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.pcap.CaptureReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** ARP, DHCP and DNS read from the real captures, DNS checked against tshark's dissector. */
class ObservationsTest {
    private static final Path FOLDER = TsharkFlowAgreementTest.FOLDER;

    private record Seen(List<Record> observations, FlowCounters counters) {}

    private static Seen observe(String capture) throws Exception {
        List<Record> seen = new ArrayList<>();
        FlowTable table = new FlowTable(FlowTable.Settings.ofSeconds(10_000, 3600, 3600, 60), r -> { },
                (nanos, observation, packet) -> seen.add(observation));
        CaptureReader.read(FOLDER.resolve(capture), table);
        return new Seen(seen, table.counters());
    }

    @Test
    void theArpPoisonerShowsAsOneMacClaimingTwoAddresses() throws Exception {
        Seen seen = observe("sanders_arppoison.pcapng");
        Set<String> claimed = seen.observations().stream()
                .filter(o -> o instanceof Observations.Arp a && a.senderMac().equals("00:25:b3:bf:91:ee"))
                .map(o -> ((Observations.Arp) o).senderIp())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("172.16.0.1", "172.16.0.105"), claimed, "the MANIFEST's label");
        assertEquals(0, seen.counters().errorCount());
    }

    @Test
    void theDhcpFloodIsHundredsOfMessagesFromOneClient() throws Exception {
        Seen seen = observe("zeek_dhcp_flood.pcap");
        List<Observations.Dhcp> dhcp = seen.observations().stream().filter(Observations.Dhcp.class::isInstance)
                .map(Observations.Dhcp.class::cast).toList();
        // As tshark's dissector reads it: 250 INFORMs from one client, each ACKed.
        assertEquals(250, dhcp.stream().filter(d -> d.type().equals("INFORM")).count());
        assertEquals(250, dhcp.stream().filter(d -> d.type().equals("ACK")).count());
        assertTrue(dhcp.stream().allMatch(d -> d.clientMac().equals("90:b1:1c:99:49:29")));
        assertEquals(0, seen.counters().errorCount(), seen.counters().firstMessages.toString());
    }

    @Test
    void everyDnsQuestionAgreesWithTshark() throws Exception {
        for (String capture : List.of("ppa_dns.cap", "dmachard_dns_tunnel_iodine.pcap", "dmachard_dns_tunnel_dns2tcp.pcap",
                "slips_cc_semiperiodic_2to3s.pcap")) {
            List<String> ours = observe(capture).observations().stream().filter(Observations.Dns.class::isInstance)
                    .map(o -> ((Observations.Dns) o).query()).filter(q -> !q.isEmpty()).toList();
            List<String> theirs = tsharkQueries(capture);
            assertEquals(theirs, ours, capture);
            assertTrue(ours.size() > 0, capture);
        }
    }

    @Test
    void nmapsEmptyProbesToTheDnsPortAreNeitherDnsNorDamage() throws Exception {
        Seen seen = observe("evilfingers_nmap_UDP_SCAN.pcap");
        assertEquals(0, seen.counters().errorCount(), seen.counters().firstMessages.toString());
        assertTrue(seen.observations().stream().noneMatch(Observations.Dns.class::isInstance));
    }

    @Test
    void theIodineTunnelsQueriesAreLongNamesUnderOneDomain() throws Exception {
        List<Observations.Dns> dns = observe("dmachard_dns_tunnel_iodine.pcap").observations().stream()
                .filter(Observations.Dns.class::isInstance).map(Observations.Dns.class::cast).toList();
        assertTrue(dns.stream().filter(d -> !d.response()).allMatch(d -> d.query().endsWith("t1.biillpi.com")), dns.toString());
    }

    private static List<String> tsharkQueries(String capture) throws Exception {
        Process tshark = new ProcessBuilder("tshark", "-n", "-r", FOLDER.resolve(capture).toString(), "-Y", "dns && !icmp",
                "-T", "fields", "-e", "dns.qry.name").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        // tshark prints bytes outside ASCII as U+FFFD each; we print them as '?'.
        String out = new String(tshark.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .replaceAll("[^\\x20-\\x7e\\n\\t]", "?");
        assertTrue(tshark.waitFor(60, TimeUnit.SECONDS));
        List<String> names = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                String first = line.split(",")[0];
                names.add(first.equals("<Root>") ? "." : first);
            }
        }
        return names;
    }
}
