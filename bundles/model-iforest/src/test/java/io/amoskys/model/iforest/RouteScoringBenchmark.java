package io.amoskys.model.iforest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.amoskys.api.Detector;
import io.amoskys.api.FeatureStage;
import io.amoskys.api.PluginKind;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.api.feature.FeatureSet;
import io.amoskys.core.component.AmoskysComponent;
import io.amoskys.core.component.DeadLetters;
import io.amoskys.core.component.EventBatch;
import io.amoskys.core.component.EventLogHolder;
import io.amoskys.core.component.MemoryLog;
import io.amoskys.core.plugins.Plugin;
import io.amoskys.core.plugins.PluginRegistry;
import io.amoskys.feature.export.Stages;
import io.amoskys.model.runtime.RuntimeOutsideOsgi;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end scoring rate on the live route's shape: events from the bus's log (in memory
 * here, so the bus's own signing and Derby costs are left out) through the platform's
 * {@code amoskys:} component, the five real stages and the real Isolation Forest detector that the
 * model runtime registers for a signed model bundle (ONNX Runtime), with the detector step called
 * once per vector ({@code batchSize=1}) or micro-batched ({@code batchSize=64}, the default), the
 * same on a batched route (one exchange per log batch, {@code amoskys:bus/NAME?batched=true}, as
 * the shipped flow route), and the stages alone as the floor. The runtime scores the forest's calls
 * in Java (its default {@code javaTreeRows}); the batched route once more with a runtime set to
 * score every call through ONNX Runtime ({@code javaTreeRows=0}) shows what that changes. Events: the first {@value #EVENTS} of the benchmark capture
 * (../shared/tools/make-bench-pcap, built by the flow agent's FlowBenchmark), decoded once; every
 * round runs them through a fresh route and fresh stages. The forest: the trainer's defaults,
 * trained on the flow vectors of the first {@value #TRAINING_EVENTS} events.
 *
 * <p>Runs only with -Damoskys.benchmark=true; prints the table kept in docs/PERFORMANCE.md.
 */
class RouteScoringBenchmark {
    private static final Path CAPTURE = Path.of(System.getProperty("amoskys.benchCapture", "../agent-flow/target/bench/bench60.pcap"));
    static final int EVENTS = 200_000;
    static final int TRAINING_EVENTS = 50_000;
    static final int WARMUP = 2;
    static final int ROUNDS = 7;

    @TempDir
    Path folder;

    record Result(String name, double median, double best, double routeCpu, double flusherCpu, double cpuMicrosPerEvent, long scored, long filtered, double p50, double p99) {}

    @Test
    void endToEndScoringRateOnTheLiveRoute() throws Exception {
        assumeTrue(Boolean.getBoolean("amoskys.benchmark"), "benchmarks run with -Damoskys.benchmark=true");
        assumeTrue(Files.exists(CAPTURE), CAPTURE + " missing: run the flow agent's FlowBenchmark first");
        System.out.printf("machine: %d cores, %s, Java %s; load average at start: %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("java.version"), loadAverage());
        List<TelemetryEvent> all = new ArrayList<>();
        Stages.flowAgent().decode(CAPTURE, all::add);
        List<TelemetryEvent> events = all.subList(0, Math.min(EVENTS, all.size()));

        List<FeatureStage> trainingStages = Stages.all().stream().map(FeatureSet::detached).toList();
        TrainingSet set = new TrainingSet(TrainingSet.DEFAULT_MAX_ROWS, IsolationForestParameters.DEFAULTS.seed());
        set.source("benchmark capture, first " + TRAINING_EVENTS + " events");
        for (TelemetryEvent e : events.subList(0, Math.min(TRAINING_EVENTS, events.size()))) {
            FeatureVector v = null;
            for (FeatureStage stage : trainingStages) {
                v = stage.process(e, v);
                if (v == null) {
                    break;
                }
            }
            if (v != null && e.kind().equals("flow")) {
                set.accept(v);
            }
        }
        TrainedIsolationForest model = IsolationForestTrainer.train(set, IsolationForestParameters.DEFAULTS);
        try (RuntimeOutsideOsgi runtime = new RuntimeOutsideOsgi(folder);
                RuntimeOutsideOsgi ortOnly = new RuntimeOutsideOsgi(folder.resolve("ort-only"), 0, 0)) {
            Detector detector = runtime.start(IsolationForestDescriptors.describe(model, "iforest", "1.0.0", Map.of()), model.onnx());
            Detector ortDetector = ortOnly.start(IsolationForestDescriptors.describe(model, "iforest", "1.0.0", Map.of()), model.onnx());
            System.out.printf("events: %d of %s (%d decoded); model: %d trees, %d features, ONNX %d bytes%n", events.size(),
                    CAPTURE.getFileName(), all.size(), model.forest().treeCount(), model.features().size(), model.onnx().length);
            List<Config> configs = List.of(new Config("five stages, no detector (floor)", null),
                    new Config("five stages → iforest, batchSize=1 (score per vector)", "amoskys:detector/iforest?batchSize=1"),
                    new Config("five stages → iforest, batchSize=64 (default)", "amoskys:detector/iforest"),
                    new Config("batched route (bus batched=true): five stages → iforest, batchSize=64", "amoskys:detector/iforest", true),
                    new Config("the same, iforest through ONNX Runtime (javaTreeRows=0)", "amoskys:detector/iforest", true, ortDetector));
            // The configurations take turns round after round, so that load from elsewhere falls on all alike.
            boolean reversed = Boolean.getBoolean("amoskys.benchReversed");
            for (int round = 0; round < WARMUP + ROUNDS; round++) {
                List<Config> order = new ArrayList<>(configs);
                if (reversed) {
                    java.util.Collections.reverse(order);
                }
                for (Config c : order) {
                    run(c, c.detector == null ? detector : c.detector, events, round >= WARMUP ? round - WARMUP : -1);
                }
            }
            List<Result> results = configs.stream().map(Config::result).toList();
            StringBuilder table = new StringBuilder("| route | events/s (wall), median of " + ROUNDS + " | best round "
                    + "| CPU µs per event, route threads (median) | of which the detector's thread | events/s per core at that cost | CPU µs per event, whole process "
                    + "| scored | filtered (not a flow) | latency p50, µs | p99, µs |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Result r : results) {
                table.append(String.format("| %s | %,.0f | %,.0f | %.2f | %.2f | %,.0f | %.2f | %,d | %,d | %.0f | %.0f |%n", r.name(), r.median(), r.best(),
                        r.routeCpu(), r.flusherCpu(), 1e6 / r.routeCpu(), r.cpuMicrosPerEvent(), r.scored(), r.filtered(), r.p50(), r.p99()));
            }
            System.out.print(table);
        }
        System.out.printf("load average at the end: %s%n", loadAverage());
    }

    final class Config {
        final String name;
        final String detectorUri;
        final double[] rates = new double[ROUNDS];
        final double[] cpu = new double[ROUNDS];
        final double[] routeCpu = new double[ROUNDS];
        final double[] flusherCpu = new double[ROUNDS];
        final long[] latencies;
        int latencyCount;
        long scored;

        final boolean batchedRoute;
        /** The detector registered as iforest for this configuration; null: the runtime's default one. */
        final Detector detector;

        Config(String name, String detectorUri) {
            this(name, detectorUri, false);
        }

        Config(String name, String detectorUri, boolean batchedRoute) {
            this(name, detectorUri, batchedRoute, null);
        }

        Config(String name, String detectorUri, boolean batchedRoute, Detector detector) {
            this.name = name;
            this.detectorUri = detectorUri;
            this.batchedRoute = batchedRoute;
            this.detector = detector;
            this.latencies = new long[ROUNDS * EVENTS];
        }

        Result result() {
            System.out.printf("%s: rounds %s events/s, CPU µs per event %s%n", name,
                    Arrays.toString(Arrays.stream(rates).mapToLong(Math::round).toArray()),
                    Arrays.toString(Arrays.stream(cpu).map(x -> Math.round(x * 100) / 100.0).toArray()));
            double[] sorted = rates.clone();
            Arrays.sort(sorted);
            double[] cpuSorted = cpu.clone();
            Arrays.sort(cpuSorted);
            double[] routeSorted = routeCpu.clone();
            Arrays.sort(routeSorted);
            double[] flusherSorted = flusherCpu.clone();
            Arrays.sort(flusherSorted);
            System.out.printf("  route threads' CPU µs per event %s%n", Arrays.toString(Arrays.stream(routeCpu).map(x -> Math.round(x * 100) / 100.0).toArray()));
            long[] lat = Arrays.copyOf(latencies, latencyCount);
            Arrays.sort(lat);
            return new Result(name, sorted[ROUNDS / 2], sorted[ROUNDS - 1], routeSorted[ROUNDS / 2], flusherSorted[ROUNDS / 2], cpuSorted[ROUNDS / 2], scored, EVENTS - scored,
                    lat[lat.length / 2] / 1e3, lat[(int) Math.min(lat.length - 1, Math.ceil(lat.length * 0.99) - 1)] / 1e3);
        }
    }

    /** One round of one configuration: a fresh route and fresh stages; timed unless {@code timedRound} is -1. */
    private void run(Config c, Detector detector, List<TelemetryEvent> events, int timedRound) throws Exception {
        boolean timed = timedRound >= 0;
        PluginRegistry registry = new PluginRegistry();
        List<FeatureSet> sets = Stages.all();
        for (int s = 0; s < sets.size(); s++) {
            registry.register(new Plugin(PluginKind.STAGE, sets.get(s).stage(), sets.get(s).detached(), 0, 10 + s, 1, "bench/1"));
        }
        registry.register(new Plugin(PluginKind.DETECTOR, "iforest", detector, 0, 20, 1, "bench/1"));
        CountDownLatch committed = new CountDownLatch(1);
        MemoryLog log = new MemoryLog(offset -> {
            if (offset == events.size() - 1) {
                committed.countDown();
            }
        });
        events.forEach(log::append);
        DeadLetters deadLetters = new DeadLetters(folder.resolve("dead-letters.log"), 1 << 20);
        EventLogHolder logs = new EventLogHolder();
        CamelContext camel = new DefaultCamelContext();
        camel.addComponent("amoskys", new AmoskysComponent(registry, deadLetters, 10_000, logs));
        LongAdder out = new LongAdder();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                var route = from(c.batchedRoute ? "amoskys:bus/bench?batched=true" : "amoskys:bus/bench").routeId("bench")
                        .process(e -> e.setProperty("t0", System.nanoTime()));
                for (FeatureSet set : sets) {
                    route = route.to("amoskys:stage/" + set.stage());
                }
                if (c.detectorUri != null) {
                    route = route.to(c.detectorUri);
                }
                route.process(e -> {
                    // A batched route's exchange carries its log batch's events: each waited as long as the batch.
                    int leaving = EventBatch.events(e.getMessage().getBody());
                    if (timed) {
                        long latency = System.nanoTime() - e.getProperty("t0", Long.class);
                        synchronized (c) {
                            for (int i = 0; i < leaving; i++) {
                                c.latencies[c.latencyCount++] = latency;
                            }
                        }
                    }
                    out.add(leaving);
                });
            }
        });
        camel.start();
        long cpuStart = processCpuNanos();
        long started = System.nanoTime();
        logs.set(log);
        assertTrue(committed.await(10, TimeUnit.MINUTES), "the route did not finish");
        long elapsed = System.nanoTime() - started;
        long cpuUsed = processCpuNanos() - cpuStart;
        long routeCpu = routeThreadsCpuNanos();
        long flusherCpu = threadCpuNanos("amoskys-batch-");
        camel.stop();
        deadLetters.close();
        if (timed) {
            c.routeCpu[timedRound] = routeCpu / 1e3 / events.size();
            c.flusherCpu[timedRound] = flusherCpu / 1e3 / events.size();
            c.rates[timedRound] = events.size() / (elapsed / 1e9);
            c.cpu[timedRound] = cpuUsed / 1e3 / events.size();
            c.scored = out.sum();
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

    /** To run outside Maven: java -cp ... io.amoskys.model.iforest.RouteScoringBenchmark FOLDER */
    public static void main(String[] args) throws Exception {
        RouteScoringBenchmark b = new RouteScoringBenchmark();
        b.folder = Files.createTempDirectory("route-bench");
        b.endToEndScoringRateOnTheLiveRoute();
    }
}
