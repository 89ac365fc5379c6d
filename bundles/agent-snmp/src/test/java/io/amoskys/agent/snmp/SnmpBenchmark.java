package io.amoskys.agent.snmp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.agent.snmp.support.Simulator;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark, not a test: SNMP polls per second one agent sustains against snmpsim (two simulator
 * processes, 20 devices from the shared recordings, each polled again as soon as its poll ends),
 * with the agent JVM's CPU time. The simulator (Python) is usually the limit, not the agent.
 *
 * <pre>mvn -o test -pl bundles/agent-snmp -Dtest=SnmpBenchmark -Damoskys.benchmark=true</pre>
 */
@EnabledIfSystemProperty(named = "amoskys.benchmark", matches = "true")
class SnmpBenchmark {
    private static final long SECONDS = 20;

    @Test
    void pollsPerSecond() throws Exception {
        Path data = SimulatedDevicesTest.data();
        List<String> communities = Files.readAllLines(data.resolve("MANIFEST.tsv")).stream()
                .filter(l -> !l.startsWith("file\t") && !l.startsWith("#") && !l.isBlank()).map(l -> l.split("\t")[7]).toList();
        try (Simulator a = Simulator.start(List.of(data), List.of(), 1); Simulator b = Simulator.start(List.of(data), List.of(), 1)) {
            System.out.println();
            System.out.println("| profiles | devices | polls | polls/s | events/s | agent CPU s per 1000 polls | failed |");
            System.out.println("|---|---|---|---|---|---|---|");
            for (String profiles : List.of("system", "system,ip,tcp,udp,icmp", "system,interfaces")) {
                run(profiles, communities, a, b);
            }
        }
    }

    private static void run(String profiles, List<String> communities, Simulator a, Simulator b) throws Exception {
        SnmpAgent agent = TestAgents.agent();
        try {
            AtomicLong events = new AtomicLong();
            agent.subscribe(e -> events.incrementAndGet());
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String community = communities.get(i % communities.size());
                String name = "bench-" + i;
                var p = TestAgents.v2c(name, (i % 2 == 0 ? a : b).port(0), community, profiles);
                p.put("timeoutMillis", "5000");
                TestAgents.configure(agent, p);
                names.add(name);
            }
            for (String n : names) {
                agent.pollNow(n).get(60, TimeUnit.SECONDS); // first polls done: history and caches warm
            }
            AtomicLong polls = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            long cpu0 = cpuNanos();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
            long events0 = events.get();
            List<CompletableFuture<Void>> loops = new ArrayList<>();
            long t0 = System.nanoTime();
            for (String n : names) {
                loops.add(loop(agent, n, end, polls, failed));
            }
            CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(SECONDS + 60, TimeUnit.SECONDS);
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (cpuNanos() - cpu0) / 1e9;
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %.0f | %.0f | %.2f | %d |%n", profiles, names.size(), polls.get(), polls.get() / wall,
                    (events.get() - events0) / wall, 1000 * cpu / Math.max(1, polls.get()), failed.get());
            assertTrue(polls.get() > 0);
        } finally {
            TestAgents.close(agent);
        }
    }

    /** Polls one device back to back until {@code endNanos}. */
    private static CompletableFuture<Void> loop(SnmpAgent agent, String name, long endNanos, AtomicLong polls, AtomicLong failed) {
        if (System.nanoTime() >= endNanos) {
            return CompletableFuture.completedFuture(null);
        }
        return agent.pollNow(name).thenCompose(r -> {
            polls.incrementAndGet();
            if (!r.answered()) {
                failed.incrementAndGet();
            }
            return loop(agent, name, endNanos, polls, failed);
        });
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
