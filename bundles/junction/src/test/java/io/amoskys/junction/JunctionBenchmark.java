package io.amoskys.junction;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.amoskys.api.event.Contribution;
import io.amoskys.api.event.Score;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.api.rule.RuleInput;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What the score junction costs per observation on one thread, as the live flow route calls it: one
 * detector's score of one event at a time, the four shipped detectors in turn, each event's scores
 * fused with those it had before. Busy hosts: 2,000 of them, each already holding a full history
 * ({@value EntityRisk#EVENTS_KEPT} events kept), so every observation reads a full history when it
 * recomputes the host's risk, as it does for a long-running network's chatty hosts. Most scores are
 * below the thresholds, a few above (so alerts are raised, and then held by the cool-down).
 * Warm-up 2 rounds, then 9 rounds of 400,000 observations; thread CPU per observation, the median
 * round reported with the best.
 *
 * <p>Runs only with -Damoskys.benchmark=true; prints the table kept in docs/PERFORMANCE.md.
 */
class JunctionBenchmark {
    private static final int HOSTS = 2_000;
    private static final int ROUND = 400_000;
    private static final int ROUNDS = 9;
    private static final String[] DETECTORS = {"iforest", "gbt", "lstm", "transformer"};
    private static final long T0 = 1_795_608_000_000_000_000L;

    @Test
    void observationsOfBusyHosts() {
        assumeTrue(Boolean.getBoolean("amoskys.benchmark"), "benchmarks run with -Damoskys.benchmark=true");
        JunctionRule junction = JunctionRuleTest.junction("", "", HOSTS * 2);
        Random random = new Random(11);
        String[] hosts = new String[HOSTS];
        for (int h = 0; h < HOSTS; h++) {
            hosts[h] = "host:10." + (h >> 8) + "." + (h & 255) + ".7";
        }
        long[] clock = {T0};
        // Fill every host's history first.
        for (int e = 0; e < EntityRisk.EVENTS_KEPT + 4; e++) {
            for (String host : hosts) {
                observeEvent(junction, host, clock, random);
            }
        }
        double[] nanos = new double[ROUNDS];
        long alerts = 0;
        for (int round = -2; round < ROUNDS; round++) {
            long start = cpuNanos();
            long raised = 0;
            for (int i = 0; i < ROUND / DETECTORS.length; i++) {
                raised += observeEvent(junction, hosts[random.nextInt(HOSTS)], clock, random);
            }
            double perObservation = (double) (cpuNanos() - start) / ROUND;
            if (round >= 0) {
                nanos[round] = perObservation;
                alerts += raised;
            }
        }
        Arrays.sort(nanos);
        System.out.printf("| hosts | events kept per host | observations per round | ns of CPU per observation (median of %d) | best round | alerts raised |%n"
                + "|---:|---:|---:|---:|---:|---:|%n| %d | %d | %d | %.0f | %.0f | %d |%n",
                ROUNDS, HOSTS, EntityRisk.EVENTS_KEPT, ROUND, nanos[ROUNDS / 2], nanos[0], alerts);
        assertTrue(alerts > 0, "the junction fused the scores and raised alerts: " + alerts);
    }

    /**
     * The heap a busy host holds: 2,000 hosts, each given a full history of events scored as the
     * shipped flow route scores them (the two tree models every event, the two sequence models
     * every 8th, three top contributions each), the used heap after a full collection before and
     * after, and what that makes at the junction's default cap of 100,000 entities.
     */
    @Test
    void heapPerBusyHost() {
        assumeTrue(Boolean.getBoolean("amoskys.benchmark"), "benchmarks run with -Damoskys.benchmark=true");
        JunctionRule junction = JunctionRuleTest.junction("", "", HOSTS * 2);
        long before = usedAfterGc();
        long sequence = 0;
        for (int h = 0; h < HOSTS; h++) {
            String host = "host:10." + (h >> 8) + "." + (h & 255) + ".7";
            for (int e = 0; e < EntityRisk.EVENTS_KEPT; e++) {
                long t = T0 + e * 1_000_000_000L;
                TelemetryEvent event = TelemetryEvent.builder().agentId("flow@sensor-1").sequence(++sequence).entityId(host).kind("flow")
                        .timestampNanos(t).build();
                for (String detector : e % 8 == 0 ? DETECTORS : Arrays.copyOf(DETECTORS, 2)) {
                    Score score = Score.builder().detector(detector).modelVersion("1.0.0").entityId(host).timestampNanos(t).value(0.1)
                            .eventIds(List.of(event.id())).topContributions(List.of(new Contribution("half_open_ratio_1m", 1, 0.9),
                                    new Contribution("port_entropy_1m", 2, 0.5), new Contribution("flows_rate_1m", 3, 0.2))).build();
                    junction.evaluate(RuleInput.of(event, null, List.of(score)));
                }
            }
        }
        long held = usedAfterGc() - before;
        System.out.printf("| hosts | events kept per host | KB of heap per host | at 100,000 entities, GB |%n|---:|---:|---:|---:|%n"
                + "| %d | %d | %.1f | %.2f |%n", HOSTS, EntityRisk.EVENTS_KEPT, held / 1024.0 / HOSTS, held / (double) HOSTS * 100_000 / 1e9);
        assertTrue(held > 0, "the hosts' histories are on the heap");
        java.lang.ref.Reference.reachabilityFence(junction);
    }

    private static long usedAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** One new event of the host, its four detectors' scores observed one at a time; @return alerts raised */
    private static int observeEvent(JunctionRule junction, String host, long[] clock, Random random) {
        long t = clock[0] += 1_000_000L;
        TelemetryEvent event = TelemetryEvent.builder().agentId("flow").sequence(t).entityId(host).kind("flow").timestampNanos(t).build();
        int alerts = 0;
        for (String detector : DETECTORS) {
            double value = random.nextInt(50) == 0 ? 0.6 + 0.4 * random.nextDouble() : 0.5 * random.nextDouble();
            Score score = Score.builder().detector(detector).modelVersion("1").entityId(host).timestampNanos(t).value(value)
                    .eventIds(List.of(event.id())).topContributions(List.of(new Contribution("f", 1, 0.9))).build();
            alerts += junction.evaluate(RuleInput.of(event, null, List.of(score))).size();
        }
        return alerts;
    }

    private static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }
}
