package io.amoskys.feature.export;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.amoskys.agent.flow.FlowAgent;
import io.amoskys.api.FeatureStage;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.api.feature.FeatureSet;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the feature stages cost on one thread, and whether memory stays flat: the benchmark
 * capture (../shared/tools/make-bench-pcap, built by the flow agent's FlowBenchmark under
 * bundles/agent-flow/target/bench/) decoded into events once, then those events through the
 * chain cut after each stage, each chain warmed up by one pass and timed on three more (fresh
 * stages each time), the best kept. The used heap after a full collection is sampled every 100,000
 * events of the longest chain's last pass, against the heap before it (the decoded events
 * themselves are held throughout): the stages' growth, which their caps bound. A second table
 * times the flow agent and the five stages in turns, round by round, for the ratio of the two.
 * Runs only with -Damoskys.benchmark=true; prints the tables kept in docs/PERFORMANCE.md.
 */
class FeatureChainBenchmark {
    private static final Path CAPTURE = Path.of(System.getProperty("amoskys.benchCapture",
            "../agent-flow/target/bench/bench60.pcap"));
    /** Passes of the flow agent over the capture before it is timed. */
    private static final int AGENT_WARM_UP = 5;

    @Test
    void stagesOnOneThread() throws Exception {
        assumeTrue(Boolean.getBoolean("amoskys.benchmark"), "benchmarks run with -Damoskys.benchmark=true");
        assumeTrue(Files.exists(CAPTURE), CAPTURE + " missing: run the flow agent's FlowBenchmark first");
        FlowAgent agent = Stages.flowAgent();
        List<TelemetryEvent> events = new ArrayList<>();
        // The agent timed like the chains, best of three passes, but after more passes of warm-up:
        // one pass leaves it half compiled (2.3 to 3.2 µs an event against 1.2 to 1.4 from the fifth
        // pass on, 2026-11-28), where the stages' chains warm each other up as they grow.
        double decodeSeconds = Double.MAX_VALUE;
        double decodeCpu = Double.MAX_VALUE;
        String decoded = null;
        for (int pass = 0; pass < AGENT_WARM_UP + 3; pass++) {
            events.clear();
            long decodeStart = System.nanoTime();
            long decodeCpuStart = cpuNanos();
            decoded = agent.decode(CAPTURE, events::add);
            if (pass >= AGENT_WARM_UP) {
                decodeSeconds = Math.min(decodeSeconds, (System.nanoTime() - decodeStart) / 1e9);
                decodeCpu = Math.min(decodeCpu, (cpuNanos() - decodeCpuStart) / 1e9);
            }
        }
        System.out.println(decoded);

        List<FeatureSet> sets = Stages.all();
        StringBuilder table = new StringBuilder("| chain | events | vectors | CPU seconds (best of 3) | events/s of CPU | µs of CPU per event | wall seconds (best of 3) | bytes allocated per event | heap growth after GC, MB (min..max) |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        table.append(String.format("| the flow agent making the events (decode into a list) | %d | - | %.2f | %.0f k | %.2f | %.2f | - | - |%n", events.size(),
                decodeCpu, events.size() / decodeCpu / 1e3, decodeCpu * 1e6 / events.size(), decodeSeconds));
        for (int length = 1; length <= sets.size(); length++) {
            List<FeatureSet> chain = sets.subList(0, length);
            run(chain, events, false); // warm-up on fresh stages
            double best = Double.MAX_VALUE;
            double bestCpu = Double.MAX_VALUE;
            Result r = null;
            for (int pass = 0; pass < 3; pass++) {
                r = run(chain, events, pass == 2 && length == sets.size()); // the heap is sampled on the last
                best = Math.min(best, r.seconds);
                bestCpu = Math.min(bestCpu, r.cpuSeconds);
            }
            String name = String.join(" → ", chain.stream().map(FeatureSet::stage).toList());
            table.append(String.format("| %s | %d | %d | %.2f | %.0f k | %.2f | %.2f | %.0f | %s |%n", name, events.size(), r.vectors, bestCpu,
                    events.size() / bestCpu / 1e3, bestCpu * 1e6 / events.size(), best, (double) r.allocated / events.size(), r.heap));
        }
        List<TelemetryEvent> returning = realCapturesLooped(agent, events.size());
        run(sets, returning, false);
        double bestCpu = Double.MAX_VALUE;
        Result r = null;
        for (int pass = 0; pass < 3; pass++) {
            r = run(sets, returning, false);
            bestCpu = Math.min(bestCpu, r.cpuSeconds);
        }
        table.append(String.format("| all five, returning hosts (the real captures looped, hosts keep their names) | %d | %d | %.2f | %.0f k | %.2f | %.2f | %.0f | - |%n",
                returning.size(), r.vectors, bestCpu, returning.size() / bestCpu / 1e3, bestCpu * 1e6 / returning.size(), r.seconds,
                (double) r.allocated / returning.size()));
        System.out.print(table);
        assertTrue(events.size() > 100_000, "the benchmark capture gives a real load: " + events.size());
    }

    /**
     * The flow agent and the five stages in turns on one thread: each round the agent decodes the
     * capture into new events and fresh stages take them, so whatever else the machine does in a
     * round weighs on both sides of it, and the ratio of the two is read round by round. The
     * question is the issue's: whether the stages keep up with the agent in front of them.
     */
    @Test
    void theStagesAgainstTheAgentInTurns() throws Exception {
        assumeTrue(Boolean.getBoolean("amoskys.benchmark"), "benchmarks run with -Damoskys.benchmark=true");
        assumeTrue(Files.exists(CAPTURE), CAPTURE + " missing: run the flow agent's FlowBenchmark first");
        FlowAgent agent = Stages.flowAgent();
        List<FeatureSet> sets = Stages.all();
        int rounds = Integer.getInteger("amoskys.benchRounds", 11);
        double[] agentMicros = new double[rounds];
        double[] stageMicros = new double[rounds];
        double[] ratios = new double[rounds];
        StringBuilder table = new StringBuilder("| round | the flow agent, µs of CPU per event | the five stages, µs of CPU per event | stages ÷ agent |\n"
                + "|---:|---:|---:|---:|\n");
        for (int round = -AGENT_WARM_UP; round < rounds; round++) {
            List<TelemetryEvent> events = new ArrayList<>();
            long start = cpuNanos();
            agent.decode(CAPTURE, events::add);
            double agentCost = (cpuNanos() - start) / 1e3 / events.size();
            double stageCost = run(sets, events, false).cpuSeconds * 1e6 / events.size();
            if (round >= 0) {
                agentMicros[round] = agentCost;
                stageMicros[round] = stageCost;
                ratios[round] = stageCost / agentCost;
                table.append(String.format("| %d | %.2f | %.2f | %.2f |%n", round + 1, agentCost, stageCost, ratios[round]));
            }
        }
        table.append(String.format("| median of %d | %.2f | %.2f | %.2f |%n", rounds, median(agentMicros), median(stageMicros), median(ratios)));
        System.out.print(table);
        assertTrue(median(agentMicros) > 0 && median(stageMicros) > 0, "both sides timed");
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * The events of every capture in ../shared/data/pcap, one after the other, looped (each loop
     * later in time) to about {@code size} events: the hosts of real networks, which come back.
     */
    private static List<TelemetryEvent> realCapturesLooped(FlowAgent agent, int size) throws Exception {
        List<TelemetryEvent> once = new ArrayList<>();
        try (var files = Files.list(Stages.CAPTURES)) {
            for (Path capture : files.filter(f -> f.toString().matches(".*\\.(pcap|pcapng|cap)$")).sorted().toList()) {
                List<TelemetryEvent> of = new ArrayList<>();
                agent.decode(capture, of::add);
                long shift = once.isEmpty() ? 0 : once.get(once.size() - 1).timestampNanos() + 1_000_000_000L
                        - of.stream().mapToLong(TelemetryEvent::timestampNanos).min().orElse(0);
                of.forEach(e -> once.add(moved(e, "", shift)));
            }
        }
        long span = once.get(once.size() - 1).timestampNanos() - once.get(0).timestampNanos() + 1_000_000_000L;
        List<TelemetryEvent> looped = new ArrayList<>(size);
        for (int loop = 0; looped.size() < size; loop++) {
            for (TelemetryEvent e : once) {
                looped.add(moved(e, "", loop * span));
            }
        }
        return looped;
    }

    /**
     * The capture looped {@code amoskys.benchLoops} times (default 40, about 41 M packets' worth
     * of events) through the whole chain, every loop later in time and with its hosts renamed, so
     * that every loop brings new entities: the used heap after a full collection, sampled every
     * million events, must stay flat over the last third because every stage's tables are capped
     * (docs/PERFORMANCE.md: the tables of kinds with few new entities a loop fill last).
     */
    @Test
    void aLongReplayKeepsTheHeapFlat() throws Exception {
        assumeTrue(Boolean.getBoolean("amoskys.benchmark"), "benchmarks run with -Damoskys.benchmark=true");
        assumeTrue(Files.exists(CAPTURE), CAPTURE + " missing: run the flow agent's FlowBenchmark first");
        int loops = Integer.getInteger("amoskys.benchLoops", 40);
        List<TelemetryEvent> events = new ArrayList<>();
        Stages.flowAgent().decode(CAPTURE, events::add);
        long span = events.stream().mapToLong(TelemetryEvent::timestampNanos).max().orElseThrow()
                - events.stream().mapToLong(TelemetryEvent::timestampNanos).min().orElseThrow() + 1_000_000_000L;
        List<FeatureStage> stages = Stages.all().stream().map(FeatureSet::detached).toList();
        long baseHeap = usedAfterGc();
        List<Long> samples = new ArrayList<>();
        long processed = 0;
        long started = System.nanoTime();
        for (int loop = 0; loop < loops; loop++) {
            for (TelemetryEvent e : events) {
                TelemetryEvent moved = moved(e, "#" + loop, loop * span);
                FeatureVector v = null;
                for (FeatureStage stage : stages) {
                    v = stage.process(moved, v);
                    if (v == null) {
                        break;
                    }
                }
                if (++processed % 1_000_000 == 0) {
                    samples.add((usedAfterGc() - baseHeap) / 1_000_000);
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("long replay: %d loops, %d events (%d packets' worth), %.0f s; heap growth after GC every million events, MB: %s%n",
                loops, processed, 1_036_620L * loops, seconds, samples);
        // Flat once the tables are full: over the last third, no more than 10 MB between the least
        // and the most, so a leak of 2 MB or more per million events fails it at 40 loops.
        List<Long> lastThird = samples.subList(samples.size() * 2 / 3, samples.size());
        long spread = lastThird.stream().mapToLong(Long::longValue).max().orElseThrow()
                - lastThird.stream().mapToLong(Long::longValue).min().orElseThrow();
        assertTrue(lastThird.size() >= 3 && spread <= 10, "the heap still grew in the last third: " + samples);
    }

    /**
     * {@code e} about a renamed entity, {@code shiftNanos} later, on {@code e}'s own metric layout:
     * the agent's events and those the bus decodes share one, which the canonical stage places
     * without a lookup, and an event rebuilt metric by metric would cost the stages more than the
     * platform's events do.
     */
    private static TelemetryEvent moved(TelemetryEvent e, String suffix, long shiftNanos) {
        TelemetryEvent.Builder b = TelemetryEvent.builder().agentId(e.agentId()).sequence(e.sequence())
                .entityId(e.entityId() + suffix).kind(e.kind()).timestampNanos(e.timestampNanos() + shiftNanos);
        e.labels().forEach(b::label);
        double[] values = new double[e.metricNames().size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = e.metricValue(i);
        }
        return b.metrics(e.metricNames(), values).build();
    }

    private record Result(long vectors, double seconds, double cpuSeconds, String heap, long allocated) {}

    /**
     * This thread's CPU time: on a shared machine the wall clock also counts other processes'
     * turns, while one core's cost is what the table is about.
     */
    private static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static Result run(List<FeatureSet> chain, List<TelemetryEvent> events, boolean sampleHeap) {
        List<FeatureStage> stages = chain.stream().map(FeatureSet::detached).toList();
        long vectors = 0;
        long baseHeap = sampleHeap ? usedAfterGc() : 0;
        long minHeap = Long.MAX_VALUE;
        long maxHeap = 0;
        double pausedSeconds = 0;
        double pausedCpuSeconds = 0;
        long allocatedBefore = allocatedBytes();
        long start = System.nanoTime();
        long cpuStart = cpuNanos();
        for (int i = 0; i < events.size(); i++) {
            TelemetryEvent event = events.get(i);
            FeatureVector v = null;
            for (FeatureStage stage : stages) {
                v = stage.process(event, v);
                if (v == null) {
                    break;
                }
            }
            if (v != null) {
                vectors++;
            }
            if (sampleHeap && i % 100_000 == 99_999) {
                long paused = System.nanoTime();
                long pausedCpu = cpuNanos();
                long used = usedAfterGc() - baseHeap;
                minHeap = Math.min(minHeap, used);
                maxHeap = Math.max(maxHeap, used);
                pausedSeconds += (System.nanoTime() - paused) / 1e9;
                pausedCpuSeconds += (cpuNanos() - pausedCpu) / 1e9;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9 - pausedSeconds;
        double cpuSeconds = (cpuNanos() - cpuStart) / 1e9 - pausedCpuSeconds;
        long allocated = allocatedBytes() - allocatedBefore;
        String heap = sampleHeap ? String.format("%.0f..%.0f", minHeap / 1e6, maxHeap / 1e6) : "-";
        return new Result(vectors, seconds, cpuSeconds, heap, allocated);
    }

    private static long usedAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
