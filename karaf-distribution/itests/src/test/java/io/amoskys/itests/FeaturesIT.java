package io.amoskys.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The five feature stages in the real distribution: the live catalogue is docs/FEATURES.md, the
 * default flow route runs every stage, captures and stretches of the bus's log export to files,
 * and updating one stage's bundle leaves the other stages' state alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FeaturesIT {
    private static final String FLOWS = "amoskys:bus/flow-pipeline?batched=true&kinds=flow,arp,dhcp,dns";
    private static final String SCHEMA = "flow:canonical.1+temporal.2+cross.1+domain.2+anomaly.1";
    private static final Pattern EXPORT = Pattern.compile(
            "(\\d+) events, (\\d+) flow vectors to (\\S+) \\(schema " + Pattern.quote(SCHEMA) + "\\), (\\d+) of other kinds, 0 refused");

    private KarafInstance karaf;

    @TempDir
    Path out;

    @BeforeAll
    void boot() throws Exception {
        karaf = KarafInstance.unpack("features");
        karaf.start();
        karaf.awaitAllActive();
    }

    @AfterAll
    void stop() throws Exception {
        karaf.close();
    }

    private static String capture(String name) {
        return Path.of(System.getProperty("amoskys.pcapData"), name).toAbsolutePath().normalize().toString();
    }

    @Test
    @Order(1)
    void theLiveCatalogueIsTheDocumentedOne() throws Exception {
        String live = karaf.client("amoskys:features --markdown");
        String documented = Files.readString(Path.of(System.getProperty("amoskys.docs"), "FEATURES.md"), StandardCharsets.UTF_8);
        assertEquals(documented.strip().lines().toList(), live.strip().lines().map(String::stripTrailing).toList());
        String table = karaf.client("amoskys:features");
        assertTrue(table.lines().anyMatch(l -> l.matches("\\s*flow\\s*\\|\\s*half_open_ratio_1m\\s*\\|\\s*domain\\.2\\s*\\|.*")), table);
    }

    @Test
    @Order(2)
    void aCaptureExportsToEveryFormatWithItsSchemaWithoutTouchingTheLiveRoute() throws Exception {
        long delivered = karaf.status().delivered(FLOWS);
        Path csv = out.resolve("scan.csv");
        Matcher m = EXPORT.matcher(karaf.client("amoskys:features --label scan --from " + capture("evilfingers_nmap_TCP_SYN_SCAN.pcap")
                + " --out " + csv));
        assertTrue(m.find(), "summary line");
        long vectors = Long.parseLong(m.group(2));
        assertTrue(vectors >= 1005, "at least tshark's 1005 TCP conversations: " + vectors);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("# amoskys feature schema " + SCHEMA + " version 1", lines.get(0));
        List<String> header = Arrays.asList(lines.get(1).split(","));
        assertEquals(List.of("entity", "timestamp_ns", "label", "event_ids"), header.subList(0, 4));
        assertEquals(vectors, lines.size() - 2);
        int halfOpen = header.indexOf("half_open_ratio_1m");
        assertTrue(lines.subList(2, lines.size()).stream().allMatch(l -> l.split(",")[2].equals("scan")), "labelled rows");
        assertTrue(lines.subList(2, lines.size()).stream().mapToDouble(l -> Double.parseDouble(l.split(",")[halfOpen])).max()
                .orElseThrow() >= 0.5, "a SYN scan is half-open");

        Path parquet = out.resolve("scan.parquet");
        Matcher p = EXPORT.matcher(karaf.client("amoskys:features --from " + capture("evilfingers_nmap_TCP_SYN_SCAN.pcap")
                + " --out " + parquet));
        assertTrue(p.find() && Long.parseLong(p.group(2)) == vectors, "the same vectors to Parquet");
        byte[] bytes = Files.readAllBytes(parquet);
        assertArrayEquals("PAR1".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(bytes, 4));
        assertArrayEquals("PAR1".getBytes(StandardCharsets.US_ASCII), Arrays.copyOfRange(bytes, bytes.length - 4, bytes.length));
        assertTrue(new String(bytes, StandardCharsets.UTF_8).contains(SCHEMA), "the schema in the file's metadata");

        assertEquals(delivered, karaf.status().delivered(FLOWS), "an export decodes apart from the live stream");
        KarafInstance.ClientResult refused = karaf.clientResult("amoskys:features --from " + capture("ppa_http.cap")
                + " --out " + out.resolve("x.xlsx"));
        assertEquals(1, refused.exitCode());
        assertTrue(refused.output().contains("name it .csv, .jsonl or .parquet"), refused.output());
    }

    @Test
    @Order(3)
    void theLiveRouteRunsEveryStageAndAStretchOfTheLogExports() throws Exception {
        Instant from = Instant.now();
        long before = karaf.status().delivered(FLOWS);
        String replay = karaf.client("amoskys:replay " + capture("evilfingers_nmap_UDP_SCAN.pcap"));
        Matcher summary = Pattern.compile("(\\d+) packets, (\\d+) flows, ").matcher(replay);
        assertTrue(summary.find(), replay);
        long flows = Long.parseLong(summary.group(2));
        Status after = Eventually.await("the flows through the live route", Duration.ofSeconds(60), karaf::status,
                s -> s.delivered(FLOWS) >= before + flows);
        assertEquals(0, after.routes().get("flow-pipeline").failed(), "no stage failed on a live event");
        for (String stage : List.of("temporal", "cross", "domain", "anomaly")) {
            assertTrue(after.delivered("amoskys:stage/" + stage) >= flows, stage + " saw the flows");
        }

        Path jsonl = out.resolve("udp.jsonl");
        String exported = karaf.client("amoskys:features --from " + from + " --to " + Instant.now() + " --out " + jsonl);
        Matcher m = EXPORT.matcher(exported);
        assertTrue(m.find(), exported);
        assertEquals(flows, Long.parseLong(m.group(2)), "every flow the log committed in the range");
        List<String> lines = Files.readAllLines(jsonl);
        assertTrue(lines.get(0).startsWith("{\"amoskys_schema\":\"" + SCHEMA + "\",\"version\":1,\"features\":[\"packets_fwd\""),
                lines.get(0));
        assertEquals(flows, lines.size() - 1);
    }

    @Test
    @Order(4)
    void updatingOneStageBundleLeavesTheOtherStagesStateAlone() {
        // The process agent gives the temporal stage an entity per host process every 5 s: stopped,
        // so that the updated stage's fresh, empty state stays empty long enough to be seen.
        karaf.client("bundle:stop io.amoskys.agent.process");
        long domainBefore = entities("domain");
        long temporalBefore = entities("temporal");
        assertTrue(domainBefore > 0 && temporalBefore > 0, "the replay left state: domain " + domainBefore + ", temporal " + temporalBefore);
        karaf.client("bundle:update io.amoskys.stage.temporal");
        Eventually.await("the temporal stage back with empty state", Duration.ofSeconds(30), () -> entities("temporal"), n -> n == 0);
        assertEquals(domainBefore, entities("domain"), "the domain stage kept its entities");
    }

    /** The stage's entities over all its tables (one per kind of state); -1 when it writes none. */
    private long entities(String stage) {
        Matcher m = Pattern.compile("(?m)^amoskys_stage_" + stage + "_entities(?:\\{space=\"\\w+\"})? (\\d+)$").matcher(karaf.httpGet("/metrics"));
        long sum = -1;
        while (m.find()) {
            sum = Math.max(sum, 0) + Long.parseLong(m.group(1));
        }
        return sum;
    }
}
