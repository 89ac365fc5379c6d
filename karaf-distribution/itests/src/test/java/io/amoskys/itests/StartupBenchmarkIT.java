package io.amoskys.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark, not a test: start-up time and size of the AMOSKYS distribution beside a stock Apache
 * Karaf of the same version, in the same run. Prints the table kept in docs/PERFORMANCE.md.
 *
 * <pre>mvn -o verify -pl karaf-distribution/itests -Dit.test=StartupBenchmarkIT -Damoskys.benchmark=true</pre>
 */
@EnabledIfSystemProperty(named = "amoskys.benchmark", matches = "true")
class StartupBenchmarkIT {
    private static final int RUNS = 3;

    record Result(String name, List<Duration> cold, List<Duration> warm, long tarballBytes, long unpackedBytes, int bundles) {}

    @Test
    void startupAndSize() throws Exception {
        Path peer = Path.of(System.getProperty("amoskys.peerDistribution"));
        Result amoskys = measure("AMOSKYS " + System.getProperty("amoskys.version", ""),
                Path.of(System.getProperty("amoskys.distribution")), "AMOSKYS Core", false);
        Result karaf = measure("Apache Karaf 4.4.10 (stock)", peer, "Apache Karaf :: Shell :: Core", true);

        System.out.println();
        System.out.println("| distribution | first start to all active, s (median of " + RUNS + ") | restart to all active (probed), s | tar.gz, MB | unpacked, MB | bundles |");
        System.out.println("|---|---|---|---|---|---|");
        for (Result r : List.of(amoskys, karaf)) {
            System.out.printf("| %s | %.2f (%s) | %.2f (%s) | %.1f | %.1f | %d |%n", r.name(),
                    median(r.cold()), seconds(r.cold()), median(r.warm()), seconds(r.warm()),
                    r.tarballBytes() / 1e6, r.unpackedBytes() / 1e6, r.bundles());
        }
        System.out.println();
    }

    private Result measure(String name, Path tarball, String marker, boolean stock) throws Exception {
        List<Duration> cold = new ArrayList<>();
        List<Duration> warm = new ArrayList<>();
        long unpacked = 0;
        int bundles = 0;
        for (int run = 0; run < RUNS; run++) {
            try (KarafInstance karaf = KarafInstance.unpack("bench-" + (stock ? "karaf" : "amoskys"), tarball)) {
                if (stock) {
                    karaf.useLogin("bench", "bench-only-" + System.nanoTime());
                } else {
                    karaf.useBinClient(); // probed as the peer is
                }
                unpacked = size(karaf.home);
                karaf.start();
                karaf.awaitBundlesActive(marker);
                cold.add(karaf.provisionedAfterStart());
                bundles = (int) karaf.client("bundle:list -t 0 --no-format").lines()
                        .filter(l -> l.strip().matches("\\d+\\t.*")).count();
                karaf.close();
                karaf.start();
                // Nothing is provisioned on a warm restart, so no log line marks the end: the
                // probes tell, to within one bin/client call (about 1.3 s).
                warm.add(karaf.awaitBundlesActive(marker));
            }
        }
        return new Result(name, cold, warm, Files.size(tarball), unpacked, bundles);
    }

    private static long size(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static double median(List<Duration> runs) {
        List<Long> ms = runs.stream().map(Duration::toMillis).sorted().toList();
        return ms.get(ms.size() / 2) / 1000.0;
    }

    private static String seconds(List<Duration> runs) {
        return String.join(", ", runs.stream().map(d -> String.format("%.2f", d.toMillis() / 1000.0)).toList());
    }
}
