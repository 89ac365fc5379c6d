package io.amoskys.itests;

import static io.amoskys.itests.Commands.run;
import static io.amoskys.itests.Commands.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Live capture in the running distribution: the test builds its own network namespace joined to
 * the host by a veth pair, starts a capture on the host's end with amoskys:capture, scans the
 * host from the namespace with nmap, and finds the scan in the flows: many short flows from one
 * source to many ports. Needs root (CI runs as root), iproute2, nmap and libpcap (.ci/test
 * installs them). Traffic stays on the veth pair between the test's own namespaces.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveCaptureIT {
    private static final String NS = "amoskys-scan";
    private static final String HOST_END = "amoskysA";
    private static final String SCAN_END = "amoskysB";
    private static final String HOST_IP = "10.213.0.1";
    private static final String SCANNER_IP = "10.213.0.2";

    private KarafInstance karaf;

    @BeforeAll
    void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "live capture and network namespaces need root");
        tearDownNetwork();
        sh("ip", "netns", "add", NS);
        sh("ip", "link", "add", HOST_END, "type", "veth", "peer", "name", SCAN_END);
        sh("ip", "link", "set", SCAN_END, "netns", NS);
        sh("ip", "addr", "add", HOST_IP + "/24", "dev", HOST_END);
        sh("ip", "link", "set", HOST_END, "up");
        sh("ip", "netns", "exec", NS, "ip", "addr", "add", SCANNER_IP + "/24", "dev", SCAN_END);
        sh("ip", "netns", "exec", NS, "ip", "link", "set", SCAN_END, "up");
        sh("ip", "netns", "exec", NS, "ip", "link", "set", "lo", "up");

        karaf = KarafInstance.unpack("live");
        karaf.start();
        karaf.awaitAllActive();
        // A second reader of the flow agent that logs each flow, for the test to read.
        Files.writeString(karaf.routes().resolve("watch.yaml"), """
                - route:
                    id: watch-flows
                    from:
                      uri: amoskys:agent/flow
                      steps:
                        - to: "log:io.amoskys.itests.flows?showAll=false&showBody=true&showBodyType=false&showExchangePattern=false"
                """);
    }

    @AfterAll
    void tearDown() throws Exception {
        if (karaf != null) {
            karaf.close();
        }
        tearDownNetwork();
    }

    @Test
    void anNmapScanFromAnotherNamespaceShowsAsManyShortFlowsFromOneSourceToManyPorts() throws Exception {
        String interfaces = karaf.client("amoskys:capture list");
        assertTrue(interfaces.contains(HOST_END) && interfaces.contains(HOST_IP), interfaces);
        karaf.client("amoskys:capture --filter \"host " + SCANNER_IP + "\" start " + HOST_END);
        Eventually.await("the capture route to run", Duration.ofSeconds(60), karaf::status,
                s -> s.routes().containsKey("capture-" + HOST_END) && s.routes().get("capture-" + HOST_END).state().equals("Started"));
        Eventually.await("libpcap to capture on " + HOST_END, Duration.ofSeconds(30), karaf::log,
                log -> log.contains("Capturing on " + HOST_END));

        sh("ip", "netns", "exec", NS, "nmap", "-n", "-Pn", "-sS", "-p", "1-300", "--max-retries", "0", "-T4", HOST_IP);

        Pattern scanFlow = Pattern.compile("flow host:" + Pattern.quote(SCANNER_IP) + " \\{[^}]*dport=(\\d+)[^}]*source=live:" + HOST_END);
        Set<String> ports = Eventually.await("the scan's flows", Duration.ofSeconds(60), () -> {
            Matcher m = scanFlow.matcher(karaf.log());
            Set<String> seen = new java.util.HashSet<>();
            while (m.find()) {
                seen.add(m.group(1));
            }
            return seen;
        }, seen -> seen.size() >= 280);
        assertTrue(ports.size() >= 280, ports.size() + " ports");
        assertTrue(ports.stream().map(Integer::parseInt).allMatch(p -> p >= 1 && p <= 300), "only the scanned ports");

        // Short: a SYN and its answer; from one source.
        Pattern packets = Pattern.compile("flow host:" + Pattern.quote(SCANNER_IP) + " \\{[^}]*source=live:" + HOST_END
                + "[^}]*\\} \\{[^}]*packets_fwd=(\\d+)\\.0");
        Matcher m = packets.matcher(karaf.log());
        List<Integer> forward = new java.util.ArrayList<>();
        while (m.find()) {
            forward.add(Integer.parseInt(m.group(1)));
        }
        assertTrue(forward.size() >= 280 && forward.stream().filter(n -> n <= 2).count() >= 0.9 * forward.size(),
                "most flows are one or two packets from the scanner: " + forward.stream().collect(Collectors.groupingBy(n -> n, Collectors.counting())));

        // What the capture read and lost is on /metrics, per source: a SYN and an answer per port at least.
        String metrics = karaf.httpGet("/metrics");
        String source = "{source=\"live:" + HOST_END + "\"";
        Matcher read = Pattern.compile("(?m)^amoskys_flow_packets_total" + Pattern.quote(source + "}") + " (\\d+)$").matcher(metrics);
        assertTrue(read.find(), "no amoskys_flow_packets_total series for live:" + HOST_END);
        assertTrue(Long.parseLong(read.group(1)) >= 2 * 280, read.group());
        assertTrue(metrics.contains("amoskys_capture_interface_failures_total" + source + "} 0\n"), "no failure of the interface");
        assertTrue(metrics.contains("amoskys_capture_dropped_total" + source + ",by=\"kernel\"} "), "kernel drops are counted");

        karaf.client("amoskys:capture stop " + HOST_END);
        Eventually.await("the capture route to go", Duration.ofSeconds(30), karaf::status,
                s -> !s.routes().containsKey("capture-" + HOST_END));
        assertEquals(0, karaf.status().routes().get("watch-flows").failed());
    }

    private static void tearDownNetwork() throws Exception {
        run(List.of("ip", "link", "del", HOST_END));
        run(List.of("ip", "netns", "del", NS));
    }
}
