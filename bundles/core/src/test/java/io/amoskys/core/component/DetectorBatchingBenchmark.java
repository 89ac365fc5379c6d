package io.amoskys.core.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.amoskys.api.Detector;
import io.amoskys.api.FeatureStage;
import io.amoskys.api.PluginKind;
import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.core.plugins.Plugin;
import io.amoskys.core.plugins.PluginRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end rate of a bus route with five feature stages and a detector, the detector called
 * once per vector ({@code batchSize=1}) against micro-batched ({@code batchSize=64}), and the
 * stages alone as the floor. The plugins are stand-ins that burn what the real ones cost on this
 * machine (docs/PERFORMANCE.md): each stage {@value #STAGE_NANOS} ns (the five real stages: 7.8 µs
 * per event), the detector {@value #CALL_NANOS} ns per call plus {@value #ROW_NANOS} ns per row,
 * which is the ONNX Isolation Forest's model runtime detector (8.58 µs a row at batch 1, 2.27 at
 * 64). The route machinery, the bus consumer's batches and commits, the gates and the batching
 * are the real ones. Events are in an in-memory log, so the bus's own cost is not in it.
 *
 * <p>Per configuration: {@value #WARMUP} rounds of warm-up, then {@value #ROUNDS} timed rounds of
 * {@value #EVENTS} events, each a fresh route and log; the median round is reported with the best
 * beside it, and the latency from the event entering the route to its leaving the detector step
 * (p50, p99 over the timed rounds). Runs only with -Damoskys.benchmark=true.
 */
class DetectorBatchingBenchmark {
    static final long STAGE_NANOS = 1_560;
    static final long CALL_NANOS = 6_400;
    static final long ROW_NANOS = 2_180;
    static final int EVENTS = 100_000;
    static final int WARMUP = 2;
    static final int ROUNDS = 7;
    static final int WIDTH = 112;
    static volatile double sink;

    @TempDir
    Path dir;

    private static void burn(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    /** Costs what the model runtime's ONNX Isolation Forest detector costs: a fixed price per call, a price per row. */
    static final class OrtLikeDetector implements Detector {
        final LongAdder calls = new LongAdder();
        final LongAdder rows = new LongAdder();

        @Override
        public Score score(FeatureVector vector) {
            return scoreAll(List.of(vector)).get(0);
        }

        @Override
        public List<Score> scoreAll(List<FeatureVector> vectors) {
            calls.increment();
            rows.add(vectors.size());
            burn(CALL_NANOS + ROW_NANOS * vectors.size());
            List<Score> scores = new ArrayList<>(vectors.size());
            for (FeatureVector v : vectors) {
                scores.add(Score.builder().detector("iforest").modelVersion("1.0.0").about(v).value(0.5).build());
            }
            return scores;
        }
    }

    record Result(String name, double medianPerSecond, double bestPerSecond, double routeCpu, double flusherCpu, double cpuMicros, double p50Micros, double p99Micros, double rowsPerCall) {}

    @Test
    void routeRateWithADetectorCalledPerVectorAndMicroBatched() throws Exception {
        assumeTrue(Boolean.getBoolean("amoskys.benchmark"), "benchmarks run with -Damoskys.benchmark=true");
        System.out.printf("machine: %d cores, %s, Java %s; load average at start: %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("java.version"), loadAverage());
        FeatureSchema schema = new FeatureSchema("flow:bench", 1, IntStream.range(0, WIDTH).mapToObj(i -> "f" + i).toList());
        List<TelemetryEvent> events = new ArrayList<>(EVENTS);
        for (int i = 0; i < EVENTS; i++) {
            events.add(TelemetryEvent.builder().agentId("flow").sequence(i).entityId("10.0.0." + i % 250).kind("flow")
                    .timestampNanos(i * 1_000L).metric("bytes", i).metric("packets", i % 17).build());
        }
        OrtLikeDetector detector = new OrtLikeDetector();
        List<Config> configs = List.of(new Config("five stages, no detector (floor)", null),
                new Config("five stages → detector, batchSize=1", "amoskys:detector/iforest?batchSize=1"),
                new Config("five stages → detector, batchSize=64 (default)", "amoskys:detector/iforest"));
        // The configurations take turns round after round, so that load from elsewhere falls on all alike.
        for (int round = 0; round < WARMUP + ROUNDS; round++) {
            for (Config c : configs) {
                run(c, detector, events, schema, round >= WARMUP ? round - WARMUP : -1);
            }
        }
        List<Result> results = configs.stream().map(Config::result).toList();
        StringBuilder table = new StringBuilder("| route | events/s (wall), median of " + ROUNDS + " | best round "
                + "| CPU µs per event, route threads (median) | of which the detector's thread | events/s per core at that cost | CPU µs per event, whole process "
                + "| rows per scoreAll call | latency p50, µs | p99, µs |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            table.append(String.format("| %s | %,.0f | %,.0f | %.2f | %.2f | %,.0f | %.2f | %s | %.0f | %.0f |%n", r.name(), r.medianPerSecond(),
                    r.bestPerSecond(), r.routeCpu(), r.flusherCpu(), 1e6 / r.routeCpu(), r.cpuMicros(),
                    Double.isNaN(r.rowsPerCall()) ? "-" : String.format("%.1f", r.rowsPerCall()), r.p50Micros(), r.p99Micros()));
        }
        System.out.print(table);
        System.out.printf("load average at the end: %s%n", loadAverage());
    }

    static final class Config {
        final String name;
        final String detectorUri;
        final double[] rates = new double[ROUNDS];
        final double[] cpu = new double[ROUNDS];
        final double[] routeCpu = new double[ROUNDS];
        final double[] flusherCpu = new double[ROUNDS];
        final long[] latencies = new long[ROUNDS * EVENTS];
        int latencyCount;
        long calls;
        long rows;

        Config(String name, String detectorUri) {
            this.name = name;
            this.detectorUri = detectorUri;
        }

        Result result() {
            System.out.printf("%s: rounds %s events/s%n", name, Arrays.toString(Arrays.stream(rates).mapToLong(Math::round).toArray()));
            double[] sorted = rates.clone();
            Arrays.sort(sorted);
            double[] cpuSorted = cpu.clone();
            Arrays.sort(cpuSorted);
            double[] routeSorted = routeCpu.clone();
            Arrays.sort(routeSorted);
            double[] flusherSorted = flusherCpu.clone();
            Arrays.sort(flusherSorted);
            long[] lat = Arrays.copyOf(latencies, latencyCount);
            Arrays.sort(lat);
            return new Result(name, sorted[ROUNDS / 2], sorted[ROUNDS - 1], routeSorted[ROUNDS / 2], flusherSorted[ROUNDS / 2], cpuSorted[ROUNDS / 2], lat[lat.length / 2] / 1e3,
                    lat[(int) Math.min(lat.length - 1, Math.ceil(lat.length * 0.99) - 1)] / 1e3, calls == 0 ? Double.NaN : (double) rows / calls);
        }
    }

    /** One round of one configuration on a fresh route; timed unless {@code timedRound} is -1. */
    private void run(Config c, OrtLikeDetector detector, List<TelemetryEvent> events, FeatureSchema schema, int timedRound) throws Exception {
        boolean timed = timedRound >= 0;
        PluginRegistry registry = new PluginRegistry();
        for (int s = 0; s < 5; s++) {
            FeatureStage plugin = (event, current) -> {
                burn(STAGE_NANOS);
                if (current != null) {
                    return current;
                }
                double[] values = new double[WIDTH];
                values[0] = event.metrics().get("bytes");
                values[1] = event.metrics().get("packets");
                return new FeatureVector(schema, event.entityId(), event.timestampNanos(), values, List.of(event.id()));
            };
            registry.register(new Plugin(PluginKind.STAGE, "s" + s, plugin, 0, 10 + s, 1, "bench/1"));
        }
        registry.register(new Plugin(PluginKind.DETECTOR, "iforest", detector, 0, 20, 1, "bench/1"));
        CountDownLatch committed = new CountDownLatch(1);
        MemoryLog log = new MemoryLog(offset -> {
            if (offset == events.size() - 1) {
                committed.countDown();
            }
        });
        events.forEach(log::append);
        DeadLetters deadLetters = new DeadLetters(dir.resolve("dead-letters.log"), 1 << 20);
        EventLogHolder logs = new EventLogHolder();
        CamelContext camel = new DefaultCamelContext();
        camel.addComponent("amoskys", new AmoskysComponent(registry, deadLetters, 10_000, logs));
        LongAdder out = new LongAdder();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                var route = from("amoskys:bus/bench").routeId("bench")
                        .process(e -> e.setProperty("t0", System.nanoTime()))
                        .to("amoskys:stage/s0").to("amoskys:stage/s1").to("amoskys:stage/s2").to("amoskys:stage/s3").to("amoskys:stage/s4");
                if (c.detectorUri != null) {
                    route = route.to(c.detectorUri);
                }
                route.process(e -> {
                    if (timed) {
                        synchronized (c) {
                            c.latencies[c.latencyCount++] = System.nanoTime() - e.getProperty("t0", Long.class);
                        }
                    }
                    out.increment();
                });
            }
        });
        camel.start();
        long calls = detector.calls.sum();
        long rows = detector.rows.sum();
        long cpuStart = processCpuNanos();
        long started = System.nanoTime();
        logs.set(log);
        if (!committed.await(10, TimeUnit.MINUTES)) {
            throw new AssertionError("the route did not finish");
        }
        long elapsed = System.nanoTime() - started;
        long cpuUsed = processCpuNanos() - cpuStart;
        long routeCpu = routeThreadsCpuNanos();
        long flusherCpu = threadCpuNanos("amoskys-batch-");
        camel.stop();
        deadLetters.close();
        assertEquals(events.size(), out.sum());
        if (timed) {
            c.routeCpu[timedRound] = routeCpu / 1e3 / events.size();
            c.flusherCpu[timedRound] = flusherCpu / 1e3 / events.size();
            c.rates[timedRound] = events.size() / (elapsed / 1e9);
            c.cpu[timedRound] = cpuUsed / 1e3 / events.size();
            c.calls += detector.calls.sum() - calls;
            c.rows += detector.rows.sum() - rows;
        }
    }

    /**
     * CPU time of the route's own threads, which are new every round: the bus consumer's (stages,
     * and everything when unbatched) and the detector endpoint's flusher (the detector and the steps
     * after it). Unlike the wall clock it hardly moves with other processes' load.
     */
    private static long routeThreadsCpuNanos() {
        return threadCpuNanos("amoskys-bus-bench") + threadCpuNanos("amoskys-batch-");
    }

    private static long threadCpuNanos(String named) {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().contains(named)) {
                total += Math.max(0, threads.getThreadCpuTime(t.getId()));
            }
        }
        return total;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (Exception e) {
            return "?";
        }
    }
}
