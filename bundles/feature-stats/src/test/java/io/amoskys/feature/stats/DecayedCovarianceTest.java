package io.amoskys.feature.stats;

import static io.amoskys.feature.stats.Samples.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.amoskys.feature.stats.Samples.Sample;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DecayedCovarianceTest {
    private static final long TAU = 5_000_000_000L;

    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23})
    void matchesBruteForceWithGapsAndLateSamples(long seed) {
        List<Sample> samples = Samples.sequence(seed, 2000, TAU, 100, 15);
        DecayedCovariance covariance = new DecayedCovariance(TAU);
        for (int k = 1; k <= samples.size(); k++) {
            Sample s = samples.get(k - 1);
            // Every third seed pairs x with an unrelated y, so the correlation is near 0 too.
            covariance.add(s.t(), s.x(), seed % 3 == 0 ? s.y() - 0.6 * s.x() : s.y());
            if (k % 97 == 0 || k < 5 || k == samples.size()) {
                check(covariance, samples.subList(0, k), seed % 3 == 0, "seed " + seed + ", " + k + " samples");
            }
        }
    }

    private static void check(DecayedCovariance covariance, List<Sample> added, boolean unrelated, String where) {
        long newest = Samples.newest(added);
        double[] x = added.stream().mapToDouble(Sample::x).toArray();
        double[] y = added.stream().mapToDouble(s -> unrelated ? s.y() - 0.6 * s.x() : s.y()).toArray();
        for (long now : new long[] {newest - TAU, newest, newest + 3 * TAU}) {
            double weight = Samples.sum(Samples.weights(added, Math.max(now, newest), TAU));
            assertClose(weight, covariance.weight(now), 1e-9 * weight, where + ": weight");
        }
        double[] w = Samples.weights(added, newest, TAU);
        double cov = Samples.pairwiseCovariance(w, x, y);
        double scale = Math.sqrt(Samples.pairwiseCovariance(w, x, x) * Samples.pairwiseCovariance(w, y, y));
        assertClose(cov, covariance.covariance(), 1e-9 * scale, where + ": covariance");
        assertClose(scale == 0 ? 0 : cov / scale, covariance.correlation(), 1e-9, where + ": correlation");
    }

    @Test
    void exactRelationsGiveExactCorrelations() {
        DecayedCovariance linear = new DecayedCovariance(TAU);
        DecayedCovariance opposite = new DecayedCovariance(TAU);
        DecayedCovariance flat = new DecayedCovariance(TAU);
        for (int i = 0; i < 50; i++) {
            long t = Samples.EPOCH_NANOS + i * TAU / 7;
            double x = Math.sin(i) * 10;
            linear.add(t, x, 2 * x + 1);
            opposite.add(t, x, -x);
            flat.add(t, x, 3.0);
        }
        assertClose(1.0, linear.correlation(), 1e-12, "y = 2x + 1");
        assertClose(-1.0, opposite.correlation(), 1e-12, "y = -x");
        assertEquals(0.0, flat.correlation(), "y constant");
        assertEquals(0.0, flat.covariance(), "y constant");
    }

    @Test
    void emptyAndSinglePair() {
        DecayedCovariance covariance = new DecayedCovariance(TAU);
        assertEquals(0.0, covariance.weight(0));
        assertEquals(0.0, covariance.covariance());
        assertEquals(0.0, covariance.correlation());
        covariance.add(Samples.EPOCH_NANOS, 3, 4);
        assertEquals(1.0, covariance.weight(Samples.EPOCH_NANOS));
        assertEquals(0.0, covariance.covariance());
        assertEquals(0.0, covariance.correlation());
    }
}
