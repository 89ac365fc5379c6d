package io.amoskys.rules.builtin;

import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.api.rule.RuleInput;
import io.amoskys.rules.sigma.RuleCases;
import io.amoskys.rules.sigma.SigmaEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Rule evaluations per second on one thread with the built-in pack loaded and 100,000 entities
 * tracked, and the heap that state takes. Observations: a new event each (so the engine's
 * seen-before memory never skips one), over 100,000 hosts in turn, 0.1 ms of event time apart:
 * 70 % web sessions (match nothing or a signal), 20 % half-open probes to random ports (feed the
 * scan, sweep and flood correlations, which then hold a group per host and target), 10 % DNS queries.
 * Each observation carries a vector of the features the pack reads. The engine keeps up to 100,000
 * groups per correlation (maxGroups). Warm-up 300,000 evaluations, then 7 rounds of 500,000; the
 * median round is reported with the best. Memory: used heap after a full collection, before the
 * engine exists and after the rounds.
 *
 * <p>Runs only with -Damoskys.benchmark=true.
 */
class RulesBenchmark {
    static final int ENTITIES = 100_000;
    static final int ROUND = 500_000;
    static final int ROUNDS = 7;
    static final int CAPTURE_EVENTS = 300_000;
    static final int CAPTURE_WARMUP = 3;
    static final int CAPTURE_ROUNDS = 7;

    private long sequence;
    private final FeatureSchema flowSchema = new FeatureSchema("flow:bench", 1, List.of("flow_gap_cv_10m", "new_dst_ratio_10m",
            "out_bytes_share", "bytes_rate_1m", "z_bytes_rate_1m"));
    private final FeatureSchema dnsSchema = new FeatureSchema("dns:bench", 1, List.of("longest_label", "name_entropy",
            "query_length", "unusual_qtype"));

    private RuleInput next(long i) {
        int host = (int) (i % ENTITIES);
        String src = "10." + (host >> 16) + "." + ((host >> 8) & 255) + "." + (host & 255);
        long time = RuleCases.BASE_NANOS + i * 100_000L;
        int kind = (int) (Math.floorMod(i * 2654435761L, 10));
        TelemetryEvent.Builder b = TelemetryEvent.builder().agentId("bench").sequence(sequence++).entityId("host:" + src)
                .timestampNanos(time).label("src", src);
        if (kind < 7) {
            TelemetryEvent e = b.kind("flow").label("proto", "tcp").label("app", "https").label("dst", "151.101.1." + (i % 200))
                    .label("dport", "443").metric("syn_fwd", 1).metric("syn_rev", 1).metric("ack_fwd", 9).metric("fin_fwd", 1)
                    .metric("rst_fwd", 0).metric("psh_fwd", 2).metric("urg_fwd", 0).metric("payload_fwd", 900)
                    .metric("payload_rev", 30000).metric("packets_fwd", 14).metric("packets_rev", 25).build();
            return RuleInput.of(e, FeatureVector.wrap(flowSchema, e.entityId(), time, new double[] {1.4, 0.1, 0.3, 2000, 0.2},
                    List.of(e.id())), List.of());
        }
        if (kind < 9) {
            TelemetryEvent e = b.kind("flow").label("proto", "tcp").label("dst", "10.200.0." + (i % 50))
                    .label("dport", Long.toString(1 + (i * 7919) % 65535)).metric("syn_fwd", 1).metric("syn_rev", 0)
                    .metric("ack_fwd", 0).metric("fin_fwd", 0).metric("rst_fwd", 1).metric("psh_fwd", 0).metric("urg_fwd", 0)
                    .metric("payload_fwd", 0).metric("payload_rev", 0).metric("packets_fwd", 2).metric("packets_rev", 1)
                    .build();
            return RuleInput.of(e, FeatureVector.wrap(flowSchema, e.entityId(), time, new double[] {3, 0.1, 1, 100, 0},
                    List.of(e.id())), List.of());
        }
        TelemetryEvent e = b.kind("dns").label("direction", "query").label("query", "www.site" + (i % 5000) + ".com")
                .label("qtype", "1").metric("query_length", 16).build();
        return RuleInput.of(e, FeatureVector.wrap(dnsSchema, e.entityId(), time, new double[] {6, 3.2, 16, 0}, List.of(e.id())),
                List.of());
    }

    private static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    /**
     * The pack on what the live flow route hands it: the benchmark capture (bench60.pcap, built by
     * the flow agent's FlowBenchmark) through the flow agent and fresh copies of the five stages,
     * made once; then its observations through a fresh engine per round (so every round starts
     * from the same state), {@value #CAPTURE_ROUNDS} rounds after {@value #CAPTURE_WARMUP} of
     * warm-up. The figure is the thread's CPU time per evaluation (median round, best beside it).
     */
    @Test
    void theBenchmarkCaptureOnOneThread() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("amoskys.benchmark"), "runs with -Damoskys.benchmark=true");
        Path capture = Path.of(System.getProperty("amoskys.benchCapture", "../agent-flow/target/bench/bench60.pcap"));
        Assumptions.assumeTrue(Files.exists(capture), capture + " missing: run the flow agent's FlowBenchmark first");
        List<RuleInput> inputs = new ArrayList<>();
        List<io.amoskys.api.FeatureStage> stages = io.amoskys.feature.export.Stages.all().stream()
                .map(io.amoskys.api.feature.FeatureSet::detached).toList();
        io.amoskys.feature.export.Stages.flowAgent().decode(capture, event -> {
            if (inputs.size() < CAPTURE_EVENTS) {
                inputs.add(RuleInput.of(event, CaptureReplayer.vector(stages, event), List.of()));
            }
        });
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        double[] micros = new double[CAPTURE_ROUNDS];
        long alerts = 0;
        String state = "";
        for (int round = 0; round < CAPTURE_WARMUP + CAPTURE_ROUNDS; round++) {
            SigmaEngine engine = builtinEngine(10_000);
            long cpu = threads.getCurrentThreadCpuTime();
            long roundAlerts = 0;
            for (RuleInput input : inputs) {
                roundAlerts += engine.evaluate(input).size();
            }
            cpu = threads.getCurrentThreadCpuTime() - cpu;
            if (round >= CAPTURE_WARMUP) {
                micros[round - CAPTURE_WARMUP] = cpu / 1e3 / inputs.size();
                alerts = roundAlerts;
                state = engine.toString();
            }
        }
        double[] sorted = micros.clone();
        Arrays.sort(sorted);
        System.out.println(String.format(Locale.ROOT,
                "built-in pack on %s: %d observations (flow agent and five stages); µs of CPU per evaluation: median %.2f, best %.2f"
                        + " (%.0f k evaluations/s of CPU); %d alerts a round; %s",
                capture.getFileName(), inputs.size(), sorted[CAPTURE_ROUNDS / 2], sorted[0], 1e3 / sorted[CAPTURE_ROUNDS / 2], alerts, state));
        org.junit.jupiter.api.Assertions.assertTrue(inputs.size() > 100_000, "a real load: " + inputs.size());
        org.junit.jupiter.api.Assertions.assertTrue(alerts > 0, "the capture's scans and floods raise alerts");
    }

    private static SigmaEngine builtinEngine(int maxGroups) throws java.io.IOException {
        SigmaEngine engine = new SigmaEngine(maxGroups, 1_000, r -> {
            throw new AssertionError(r.toString());
        });
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/rules"))) {
            java.util.Map<String, String> texts = new java.util.TreeMap<>();
            for (Path f : files.filter(p -> p.toString().endsWith(".yml")).toList()) {
                texts.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
            }
            engine.load(texts, -1);
        }
        return engine;
    }

    @Test
    void evaluationsPerSecond() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("amoskys.benchmark"), "runs with -Damoskys.benchmark=true");
        long before = usedHeap();
        SigmaEngine engine = builtinEngine(ENTITIES);
        long i = 0;
        long alerts = 0;
        for (; i < 300_000; i++) {
            alerts += engine.evaluate(next(i)).size();
        }
        double[] rates = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            long start = System.nanoTime();
            for (int n = 0; n < ROUND; n++, i++) {
                alerts += engine.evaluate(next(i)).size();
            }
            rates[round] = ROUND / ((System.nanoTime() - start) / 1e9);
        }
        long after = usedHeap();
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        List<String> each = new ArrayList<>();
        for (double r : rates) {
            each.add(String.format(Locale.ROOT, "%.0f", r));
        }
        String state = engine.toString();
        System.out.println(String.format(Locale.ROOT,
                "built-in pack (%d rules), %d entities: median %.0f evaluations/s, best %.0f (rounds %s); %d evaluations, %d alerts;"
                        + " heap %.1f MB before the engine, %.1f MB after (%.1f MB for rules and state)",
                engine.size(), ENTITIES, sorted[ROUNDS / 2], sorted[ROUNDS - 1], each, i, alerts, before / 1e6, after / 1e6,
                (after - before) / 1e6) + " " + state);
    }
}
