package io.amoskys.stage.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.stage.canonical.CanonicalStage;
import java.lang.annotation.Annotation;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AnomalyStageTest {
    private static final long S = 1_000_000_000L;
    private static final long HOUR = 3600 * S;
    private final CanonicalStage canonical = new CanonicalStage();
    private final AnomalyStage stage = new AnomalyStage(new AnomalyStage.Config() {
        public int maxEntities() { return 100; }
        public int idleMinutes() { return 1440 * 7; }
        public double baselineHours() { return 24; }
        public int minSamples() { return 10; }
        public double minSeasonalWeight() { return 20; }
        public Class<? extends Annotation> annotationType() { return AnomalyStage.Config.class; }
    });

    private FeatureVector process(long seq, long nanos, double cpu) {
        TelemetryEvent e = TelemetryEvent.builder().agentId("a").sequence(seq).entityId("process:h:1").kind("process")
                .timestampNanos(nanos).metric("cpu_percent", cpu).metric("threads", 4).build();
        return stage.process(e, canonical.process(e, null));
    }

    @Test
    void zIsZeroUntilTheBaselineHasEnoughSamplesThenMeasuresTheDeviation() {
        Random random = new Random(1);
        double sum = 0, sumSquares = 0;
        for (int i = 0; i < 10; i++) {
            double cpu = 10 + random.nextGaussian();
            assertEquals(0, process(i, i * S, cpu).get("z_cpu_percent"), "sample " + i);
            sum += cpu;
            sumSquares += cpu * cpu;
        }
        FeatureVector spike = process(10, 10 * S, 30);
        // Ten samples within seconds of a 24 h time constant weigh almost alike: compare with the plain mean and deviation.
        double mean = sum / 10;
        double sd = Math.sqrt(sumSquares / 10 - mean * mean);
        assertEquals((30 - mean) / sd, spike.get("z_cpu_percent"), 1e-3 * (30 - mean) / sd);
        assertEquals(Math.abs(spike.get("z_cpu_percent")), spike.get("max_abs_z"), 1e-12);
        assertEquals(0, spike.get("z_threads"), "a feature that never moved and did not move now");
        assertEquals(11, spike.get("baseline_weight"), 0.01);
        assertEquals("process:canonical.1+anomaly.1", spike.schema().name());
    }

    @Test
    void processesOfEveryHostDoNotPushTheHostsFlowBaselinesOut() {
        for (int i = 0; i < 12; i++) {
            flow(i, i * S);
        }
        for (int pid = 0; pid < 300; pid++) { // three times the cap of processes, each its own entity, each looked at twice
            for (int look = 0; look < 2; look++) {
                TelemetryEvent e = TelemetryEvent.builder().agentId("a").sequence(100 + 2 * pid + look).entityId("process:h:" + pid)
                        .kind("process").timestampNanos(12 * S + 2 * pid + look).metric("cpu_percent", 1).build();
                stage.process(e, canonical.process(e, null));
            }
        }
        FeatureVector next = flow(400, 13 * S);
        assertEquals(13, next.get("baseline_weight"), 0.01, "the host's flow baseline kept its twelve samples");
        StringBuilder metrics = new StringBuilder();
        stage.writePrometheus(metrics);
        assertTrue(metrics.toString().contains("amoskys_stage_anomaly_entities_evicted_total{space=\"process\",reason=\"capacity\"} 200\n"),
                metrics.toString());
        assertTrue(metrics.toString().contains("amoskys_stage_anomaly_entities{space=\"flow\"} 1\n"), metrics.toString());
    }

    private FeatureVector flow(long seq, long nanos) {
        TelemetryEvent e = TelemetryEvent.builder().agentId("a").sequence(seq).entityId("host:10.0.0.1").kind("flow")
                .timestampNanos(nanos).metric("bytes_fwd", 100).metric("packets_fwd", 2).build();
        return stage.process(e, canonical.process(e, null));
    }

    @Test
    void aDailyRhythmIsJudgedAgainstItsOwnHourOnceThereIsADayOfHistory() {
        // Busy (cpu 80) at 02:00 every night, idle (cpu 5) otherwise, for four days.
        long seq = 0;
        for (int day = 0; day < 4; day++) {
            for (int hour = 0; hour < 24; hour++) {
                for (int i = 0; i < 12; i++) {
                    long t = (day * 24L + hour) * HOUR + i * 300 * S;
                    process(seq++, t, hour == 2 ? 80 : 5);
                }
            }
        }
        FeatureVector night = process(seq++, 4 * 24 * HOUR + 2 * HOUR + 60 * S, 80);
        FeatureVector day = process(seq, 4 * 24 * HOUR + 14 * HOUR, 80);
        assertTrue(Math.abs(night.get("z_cpu_percent")) < 1, "80 at 02:00 is that hour's normal: " + night.get("z_cpu_percent"));
        assertEquals(AnomalyStage.Z_CAP, day.get("z_cpu_percent"), 1e-9, "80 at 14:00 is far off that hour's 5");
    }
}
