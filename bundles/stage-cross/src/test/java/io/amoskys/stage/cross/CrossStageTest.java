package io.amoskys.stage.cross;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.stage.canonical.CanonicalStage;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CrossStageTest {
    private static final long S = 1_000_000_000L;
    private final CanonicalStage canonical = new CanonicalStage();
    private final CrossStage stage = new CrossStage(new CrossStage.Config() {
        public int maxEntities() { return 100; }
        public int idleMinutes() { return 30; }
        public Class<? extends Annotation> annotationType() { return CrossStage.Config.class; }
    });

    private FeatureVector flow(long seq, long nanos, double bytesFwd, double bytesRev, double packetsFwd, double packetsRev,
            double synFwd, double ackFwd) {
        TelemetryEvent e = TelemetryEvent.builder().agentId("a").sequence(seq).entityId("host:h").kind("flow").timestampNanos(nanos)
                .metric("bytes_fwd", bytesFwd).metric("bytes_rev", bytesRev).metric("packets_fwd", packetsFwd)
                .metric("packets_rev", packetsRev).metric("syn_fwd", synFwd).metric("ack_fwd", ackFwd).metric("duration_s", 2)
                .build();
        return stage.process(e, canonical.process(e, null));
    }

    @Test
    void ratiosOfOneVectorAndZeroWhereTheDivisorIsZero() {
        FeatureVector v = flow(1, S, 600, 200, 4, 0, 1, 0);
        assertEquals(150, v.get("bytes_per_packet_fwd"));
        assertEquals(0, v.get("bytes_per_packet_rev"), "no packets back: no bytes per packet, not infinity");
        assertEquals(0.75, v.get("out_bytes_share"));
        assertEquals(0, v.get("reply_packet_ratio"));
        assertEquals(1, v.get("syn_ack_ratio"), "a SYN and no ACK: one unanswered attempt");
        assertEquals(2, v.get("packets_per_second"));
        assertEquals("flow:canonical.1+cross.1", v.schema().name());
    }

    @Test
    void theCorrelationOfPairedColumnsMatchesADirectWeightedComputation() {
        Random random = new Random(3);
        List<double[]> seen = new ArrayList<>(); // t, x, y
        FeatureVector v = null;
        long t = 1_000 * S;
        for (int i = 0; i < 200; i++) {
            t += random.nextInt((int) (5 * S));
            double x = 100 + random.nextInt(1000);
            double y = 2 * x + random.nextGaussian() * 200;
            v = flow(i, t, x, y, 1, 1, 0, 1);
            seen.add(new double[] {t, x, y});
        }
        double w = 0, sx = 0, sy = 0;
        for (double[] s : seen) {
            double weight = Math.exp(-(t - s[0]) / (60.0 * S));
            w += weight;
            sx += weight * s[1];
            sy += weight * s[2];
        }
        double mx = sx / w, my = sy / w, cxy = 0, cxx = 0, cyy = 0;
        for (double[] s : seen) {
            double weight = Math.exp(-(t - s[0]) / (60.0 * S));
            cxy += weight * (s[1] - mx) * (s[2] - my);
            cxx += weight * (s[1] - mx) * (s[1] - mx);
            cyy += weight * (s[2] - my) * (s[2] - my);
        }
        assertEquals(cxy / w, v.get("bytes_fwd_rev_cov_1m"), 1e-6 * Math.abs(cxy / w));
        assertEquals(cxy / Math.sqrt(cxx * cyy), v.get("bytes_fwd_rev_corr_1m"), 1e-9);
    }
}
