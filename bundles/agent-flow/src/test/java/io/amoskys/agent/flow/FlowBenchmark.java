package io.amoskys.agent.flow;

import io.amoskys.pcap.CaptureReader;
import io.amoskys.pcap.CaptureStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark, not a test: packets per second from a capture file to flow records on one core,
 * beside nfpcapd, argus and tshark on the same file in the same run. Prints the table kept in
 * docs/PERFORMANCE.md. The file is built from the real captures by
 * ../shared/tools/make-bench-pcap (60 rounds, about 1.04 M packets).
 *
 * <pre>mvn -o test -pl bundles/agent-flow -Dtest=FlowBenchmark -Damoskys.benchmark=true</pre>
 */
@EnabledIfSystemProperty(named = "amoskys.benchmark", matches = "true")
class FlowBenchmark {
    private static final int RUNS = 5;

    record Row(String tool, String what, double wallSeconds, double cpuSeconds, long packets) {}

    @Test
    void packetsToFlows() throws Exception {
        Path work = Path.of("target/bench").toAbsolutePath();
        Files.createDirectories(work);
        Path capture = work.resolve("bench60.pcap");
        if (!Files.exists(capture)) {
            run(List.of(TsharkFlowAgreementTest.FOLDER.resolve("../../tools/make-bench-pcap").normalize().toString(),
                    capture.toString(), "60"), work);
        }
        List<Row> rows = new ArrayList<>();
        long day = 86_400_000_000_000L;
        // AMOSKYS: read and decode every packet, build the flow table, report every flow.
        for (int run = 0; run < RUNS; run++) {
            long[] flows = {0};
            FlowTable table = new FlowTable(new FlowTable.Settings(1_000_000, 60_000_000_000L, 1_800_000_000_000L, 5_000_000_000L),
                    r -> flows[0]++);
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            CaptureStats stats = CaptureReader.read(capture, table);
            table.flush();
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (cpuNanos() - cpu0) / 1e9;
            rows.add(new Row("AMOSKYS flow table (run " + (run + 1) + ")", stats.packets() + " packets, " + flows[0] + " flows",
                    wall, cpu, stats.packets()));
        }
        rows.add(external("nfpcapd 1.7 (-r)", "nfcapd flow files", List.of("nfpcapd", "-r", capture.toString(), "-w", dir(work, "nfcapd")), work));
        rows.add(external("argus 3.0 (-r)", "argus flow records", List.of("argus", "-r", capture.toString(), "-w", work.resolve("argus.out").toString()), work));
        rows.add(external("tshark 4.0 (-q -z conv,tcp -z conv,udp)", "conversation tables", List.of("tshark", "-n", "-q", "-r", capture.toString(),
                "-z", "conv,tcp", "-z", "conv,udp"), work));
        rows.add(external("capinfos -c", "a packet count only (floor: reading the file)", List.of("capinfos", "-c", capture.toString()), work));

        long packets = rows.get(0).packets();
        System.out.println();
        System.out.println("| tool | result | wall, s | cpu, s | packets/s (wall) |");
        System.out.println("|---|---|---|---|---|");
        for (Row r : rows) {
            System.out.printf("| %s | %s | %.3f | %.3f | %.2f M |%n", r.tool(), r.what(), r.wallSeconds(), r.cpuSeconds(),
                    packets / r.wallSeconds() / 1e6);
        }
        System.out.println();
    }

    private static String dir(Path work, String name) throws Exception {
        Path d = work.resolve(name);
        if (Files.exists(d)) {
            try (var files = Files.list(d)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
        }
        Files.createDirectories(d);
        return d.toString();
    }

    /** Runs a peer under bash's time, which reports its wall, user and system seconds. */
    private static Row external(String tool, String result, List<String> command, Path work) throws Exception {
        List<String> timed = new ArrayList<>(List.of("bash", "-c",
                "TIMEFORMAT='%3R %3U %3S'; { time \"$@\" > /dev/null 2>&1 ; } 2>&1", "bash"));
        timed.addAll(command);
        Process p = new ProcessBuilder(timed).directory(work.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(tool + " failed: " + out);
        }
        String[] t = out.substring(out.lastIndexOf('\n') + 1).split(" ");
        return new Row(tool, result, Double.parseDouble(t[0]), Double.parseDouble(t[1]) + Double.parseDouble(t[2]), 0);
    }

    private static void run(List<String> command, Path dir) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
