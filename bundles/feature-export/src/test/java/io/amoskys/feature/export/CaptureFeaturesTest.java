package io.amoskys.feature.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.agent.flow.FlowAgent;
import io.amoskys.api.feature.FeatureSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: every capture in ../shared/data/pcap replayed through the flow agent and the five
 * stages, exported, and its domain features compared with the MANIFEST's label. Each indicator
 * below is one domain feature and a threshold; a capture is flagged when any indicator's largest
 * value in the capture reaches its threshold. All attack captures must be flagged and no benign
 * one.
 *
 * <p>The numbers (largest value in any benign capture, then in the attack captures the
 * indicator is meant for), as measured when this test was written:
 * <ul>
 *   <li>flow half_open_ratio_1m >= 0.3: benign 0; nmap -p 80 0.5, SYN, masscan and small port scans, SYN flood and
 *       ssh brute force (nmap) 1.0
 *   <li>flow port_entropy_1m >= 3 bits: benign 1.58; port, FIN, Xmas, ACK, UDP and IP-protocol scans 4.3 to 5.95
 *   <li>flow host_entropy_1m >= 3.2 bits: benign 2.69 (a DNS client); ICMP sweep 3.73
 *   <li>flow login_flow_rate_1m >= 0.1/s: benign 0.02; ftp brute force 0.33
 *   <li>flow top_service_rate_1m >= 0.5/s: benign 0.12; C2 beacon 2.39, SYN flood 3.33, ssh brute force 1.03
 *   <li>dhcp segment_client_rate_1m >= 1/s: benign 0 (no DHCP); DHCP flood 4.0
 *   <li>dns name_entropy >= 4.5 bits/char: benign 3.84; iodine 5.64, dns2tcp 5.49
 *   <li>dns unusual_qtype_ratio_1m >= 0.5: benign 0; both tunnels 1.0
 *   <li>arp ips_per_mac >= 2: benign 0; ARP poisoning 2
 * </ul>
 */
class CaptureFeaturesTest {
    private static final Path DATA = Path.of(System.getProperty("amoskys.pcapData", "../../../shared/data/pcap"));

    private record Indicator(String kind, String feature, double threshold) {}

    private static final List<Indicator> INDICATORS = List.of(
            new Indicator("flow", "half_open_ratio_1m", 0.3),
            new Indicator("flow", "port_entropy_1m", 3),
            new Indicator("flow", "host_entropy_1m", 3.2),
            new Indicator("flow", "login_flow_rate_1m", 0.1),
            new Indicator("flow", "top_service_rate_1m", 0.5),
            new Indicator("dhcp", "segment_client_rate_1m", 1),
            new Indicator("dns", "name_entropy", 4.5),
            new Indicator("dns", "unusual_qtype_ratio_1m", 0.5),
            new Indicator("arp", "ips_per_mac", 2));

    /** Capture file → its MANIFEST label. */
    private static final Map<String, String> LABELS = new LinkedHashMap<>();

    @TempDir
    static Path work;

    @BeforeAll
    static void readManifest() throws Exception {
        List<String> lines = Files.readAllLines(DATA.resolve("MANIFEST.tsv"));
        List<String> header = Arrays.asList(lines.get(0).split("\t"));
        int file = header.indexOf("file");
        int category = header.indexOf("category");
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            LABELS.put(f[file], f[category]);
        }
        assertTrue(LABELS.size() >= 30, "the MANIFEST lists " + LABELS.size() + " captures");
    }

    @Test
    void domainFeaturesSeparateEveryAttackCaptureFromEveryBenignOne() throws Exception {
        FlowAgent agent = Stages.flowAgent();
        Map<String, List<String>> flaggedBy = new TreeMap<>();
        List<String> report = new ArrayList<>();
        for (Map.Entry<String, String> capture : LABELS.entrySet()) {
            List<String> hits = new ArrayList<>();
            StringBuilder line = new StringBuilder(capture.getKey()).append(" (").append(capture.getValue()).append("):");
            for (Indicator indicator : INDICATORS) {
                double max = largest(agent, capture.getKey(), indicator);
                line.append(' ').append(indicator.feature()).append('=').append(String.format("%.2f", max));
                if (max >= indicator.threshold()) {
                    hits.add(indicator.feature());
                }
            }
            flaggedBy.put(capture.getKey(), hits);
            report.add(line.toString());
        }
        System.out.println(String.join("\n", report));
        for (Map.Entry<String, String> capture : LABELS.entrySet()) {
            boolean benign = capture.getValue().startsWith("benign");
            List<String> hits = flaggedBy.get(capture.getKey());
            if (benign) {
                assertEquals(List.of(), hits, capture.getKey() + " is benign but its domain features flag it");
            } else {
                assertTrue(!hits.isEmpty(), capture.getKey() + " (" + capture.getValue() + ") is not flagged by any domain feature");
            }
        }
    }

    /** The canonical stage declares every metric the flow agent sends, so no real measurement is dropped. */
    @Test
    void everyMetricTheFlowAgentSendsIsADeclaredCanonicalColumn() throws Exception {
        FeatureSet canonical = Stages.all().get(0);
        Map<String, java.util.Set<String>> undeclared = new TreeMap<>();
        Map<String, Long> events = new TreeMap<>();
        for (String capture : List.of("ppa_dns.cap", "sanders_arppoison.pcapng", "zeek_dhcp_flood.pcap", "ppa_http.cap")) {
            Stages.flowAgent().decode(DATA.resolve(capture), event -> {
                events.merge(event.kind(), 1L, Long::sum);
                for (String metric : event.metrics().keySet()) {
                    if (!canonical.columns(event.kind()).contains(metric)) {
                        undeclared.computeIfAbsent(event.kind(), k -> new java.util.TreeSet<>()).add(metric);
                    }
                }
            });
        }
        assertEquals(java.util.Set.of("arp", "dhcp", "dns", "flow"), events.keySet(), "the captures cover every kind the agent sends");
        assertEquals(Map.of(), undeclared);
    }

    /** The largest value of the indicator's feature among the capture's exported vectors of its kind (0 if none). */
    private static double largest(FlowAgent agent, String capture, Indicator indicator) throws Exception {
        Path out = work.resolve(capture + "." + indicator.kind() + ".csv");
        if (!Files.exists(out)) {
            String summary = new Exports(Stages.all(), null).fromCapture(agent, DATA.resolve(capture), out, indicator.kind(),
                    LABELS.get(capture));
            assertTrue(summary.endsWith(" 0 refused"), "no stage refused an event of " + capture + ": " + summary);
        }
        if (!Files.exists(out)) {
            return 0; // no vector of that kind in the capture
        }
        List<String> lines = Files.readAllLines(out);
        assertTrue(lines.get(0).startsWith("# amoskys feature schema " + indicator.kind() + ":canonical.1+temporal.2+cross.1+domain.2+anomaly.1"),
                lines.get(0));
        int column = Arrays.asList(lines.get(1).split(",")).indexOf(indicator.feature());
        assertTrue(column >= 0, indicator.feature() + " is not a column of " + out);
        double max = 0;
        for (String row : lines.subList(2, lines.size())) {
            max = Math.max(max, Double.parseDouble(row.split(",")[column]));
        }
        return max;
    }
}
