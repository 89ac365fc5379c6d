package io.amoskys.feature.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Accumulators sharing a DecayFactor answer bit for bit what their own factors give. */
class DecayFactorTest {
    private static final long TAU = 60_000_000_000L;

    @Test
    void sharedFactorsChangeNoBitOfAnyStatistic() {
        DecayFactor shared = new DecayFactor(TAU);
        DecayedMoments[] alone = {new DecayedMoments(TAU), new DecayedMoments(TAU)};
        DecayedMoments[] sharing = {new DecayedMoments(shared), new DecayedMoments(shared)};
        DecayedCovariance covariance = new DecayedCovariance(TAU);
        DecayedCovariance sharingCovariance = new DecayedCovariance(shared);
        DecayedHistogram histogram = new DecayedHistogram(64, TAU);
        DecayedHistogram sharingHistogram = new DecayedHistogram(64, shared);
        Random random = new Random(3);
        long t = Samples.EPOCH_NANOS;
        for (int i = 0; i < 20_000; i++) {
            // Mostly small steps, some repeated times, late events, and gaps long enough to rebase the histogram.
            int step = random.nextInt(10);
            t += step == 0 ? 0 : step < 8 ? random.nextInt(2_000_000_000) : step == 8 ? -random.nextInt(30) * 1_000_000_000L : 70 * TAU;
            double x = random.nextInt(100);
            for (int m = 0; m < alone.length; m++) {
                alone[m].add(t, x + m);
                sharing[m].add(t, x + m);
                assertEquals(alone[m].mean(), sharing[m].mean());
                assertEquals(alone[m].variance(), sharing[m].variance());
                assertEquals(alone[m].weight(t + 5), sharing[m].weight(t + 5));
            }
            covariance.add(t, x, x * x);
            sharingCovariance.add(t, x, x * x);
            assertEquals(covariance.correlation(), sharingCovariance.correlation());
            assertEquals(covariance.covariance(), sharingCovariance.covariance());
            histogram.add(t, Hashes.of((long) x));
            sharingHistogram.add(t, Hashes.of((long) x));
            assertEquals(histogram.entropyBits(t), sharingHistogram.entropyBits(t));
            assertEquals(histogram.topShare(t), sharingHistogram.topShare(t));
        }
    }
}
