package io.amoskys.feature.stats;

import static io.amoskys.feature.stats.Samples.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.feature.stats.Samples.Sample;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DecayedHistogramTest {
    private static final long TAU = 1_000_000_000L;
    /** Two port-like values that fall in different bins of the histograms below ({@link #assertApart}). */
    private static final long A = 80;
    private static final long B = 443;

    private static void assertApart(int bins) {
        assertNotEquals(DecayedHistogram.bin(Hashes.of(A), bins - 1), DecayedHistogram.bin(Hashes.of(B), bins - 1));
    }

    /** A port-like value drawn with Zipf-like weights from 40, taken from the sample's x. */
    private static long valueOf(Sample s) {
        double u = Math.abs(s.x()) % 1.0;
        return 1000 + (long) (40 * u * u * u);
    }

    @ParameterizedTest
    @CsvSource({"31, 8", "32, 256", "33, 1024"})
    void matchesBruteForceWithGapsAndLateSamples(long seed, int bins) {
        List<Sample> samples = Samples.sequence(seed, 2000, TAU, 0, 10);
        DecayedHistogram histogram = new DecayedHistogram(bins, TAU);
        for (int k = 1; k <= samples.size(); k++) {
            Sample s = samples.get(k - 1);
            histogram.add(s.t(), Hashes.of(valueOf(s)));
            if (k % 53 == 0 || k < 5 || k == samples.size()) {
                check(histogram, bins, samples.subList(0, k), "seed " + seed + ", " + k + " samples");
            }
        }
    }

    /** Entropy in bits and top share of the added values' weights at the newest time, computed directly. */
    private record Expected(long newest, double entropy, double top) {
        static Expected of(int bins, List<Sample> added) {
            long newest = Samples.newest(added);
            double[] w = Samples.weights(added, newest, TAU);
            double[] binWeights = new double[bins];
            for (int i = 0; i < w.length; i++) {
                binWeights[DecayedHistogram.bin(Hashes.of(valueOf(added.get(i))), bins - 1)] += w[i];
            }
            double total = Samples.sum(binWeights);
            double entropy = 0;
            double top = 0;
            for (double b : binWeights) {
                double p = b / total;
                if (p > 0) {
                    entropy -= p * Math.log(p) / Math.log(2);
                }
                top = Math.max(top, p);
            }
            return new Expected(newest, entropy, top);
        }
    }

    private static void check(DecayedHistogram histogram, int bins, List<Sample> added, String where) {
        Expected x = Expected.of(bins, added);
        for (long now : new long[] {x.newest() - TAU, x.newest(), x.newest() + 5 * TAU}) {
            assertClose(x.entropy(), histogram.entropyBits(now), 1e-9 * x.entropy() + 1e-12, where + ": entropy");
            assertClose(x.top(), histogram.topShare(now), 1e-9 * x.top(), where + ": top share");
        }
    }

    /**
     * The entropy is kept as sums while values arrive: over 200,000 values that never rescale (the
     * base stays within 64 tau) and grow to e^60 times the first, read for the first time only
     * halfway, the sums stay within {@link #KEPT_SUMS_BITS} of the shares computed afresh (about
     * 1e-13 when written).
     */
    @Test
    void keptSumsStayExactOverALongRunWithoutARescale() {
        java.util.Random random = new java.util.Random(7);
        DecayedHistogram histogram = new DecayedHistogram(64, TAU);
        List<Sample> added = new java.util.ArrayList<>();
        long t = Samples.EPOCH_NANOS;
        for (int k = 1; k <= 200_000; k++) {
            t += (long) (random.nextDouble() * 0.0006 * TAU);
            // Zipf-like over 40 values, with a late one now and then
            long late = k % 97 == 0 ? (long) (3 * TAU * random.nextDouble()) : 0;
            added.add(new Sample(t - late, random.nextDouble() * (random.nextBoolean() ? 1 : -1), 0));
            histogram.add(t - late, Hashes.of(valueOf(added.get(added.size() - 1))));
            if (k >= 100_000 && k % 25_000 == 0) {
                checkAbsolute(histogram, 64, added, k + " values");
            }
        }
    }

    private static final double KEPT_SUMS_BITS = 1e-11;

    private static void checkAbsolute(DecayedHistogram histogram, int bins, List<Sample> added, String where) {
        Expected x = Expected.of(bins, added);
        assertClose(x.entropy(), histogram.entropyBits(x.newest()), KEPT_SUMS_BITS, where + ": entropy");
        assertClose(x.top(), histogram.topShare(x.newest()), 1e-12, where + ": top share");
    }

    @Test
    void theHeaviestBinIsFollowedAcrossARescale() {
        assertApart(16);
        DecayedHistogram h = new DecayedHistogram(16, TAU);
        for (int i = 0; i < 3; i++) {
            h.add(Samples.EPOCH_NANOS, Hashes.of(A));
        }
        h.add(Samples.EPOCH_NANOS, Hashes.of(B));
        assertClose(0.75, h.topShare(Samples.EPOCH_NANOS), 1e-12, "a holds 3 of 4");
        long later = Samples.EPOCH_NANOS + 70 * TAU; // past the 64 tau that rescale the weights
        h.add(later, Hashes.of(B));
        assertClose(1.0, h.topShare(later), 1e-12, "b's new value outweighs everything before it");
        h.add(later, Hashes.of(A));
        h.add(later, Hashes.of(A));
        double old = Math.exp(-70);
        assertClose((2 + 3 * old) / (3 + 4 * old), h.topShare(later), 1e-12, "a again, with two new values to b's one");
    }

    @Test
    void weightsFollowTheDecayRuleInEitherOrder() {
        assertApart(16);
        long late = (long) (TAU * Math.log(3)); // a weighs 1/3 of b
        double expected = -(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)) / Math.log(2);

        DecayedHistogram inOrder = new DecayedHistogram(16, TAU);
        inOrder.add(Samples.EPOCH_NANOS, Hashes.of(A));
        inOrder.add(Samples.EPOCH_NANOS + late, Hashes.of(B));
        DecayedHistogram outOfOrder = new DecayedHistogram(16, TAU);
        outOfOrder.add(Samples.EPOCH_NANOS + late, Hashes.of(B));
        outOfOrder.add(Samples.EPOCH_NANOS, Hashes.of(A));
        for (DecayedHistogram h : List.of(inOrder, outOfOrder)) {
            assertClose(expected, h.entropyBits(Samples.EPOCH_NANOS + late), 1e-9, "entropy of 1/4, 3/4");
            assertClose(0.75, h.topShare(Samples.EPOCH_NANOS + late), 1e-9, "top share");
        }
    }

    @Test
    void manyDistinctValuesApproachTheCap() {
        DecayedHistogram histogram = new DecayedHistogram(1024, TAU);
        for (int i = 0; i < 100_000; i++) {
            histogram.add(Samples.EPOCH_NANOS, Hashes.of("name-" + i));
        }
        double entropy = histogram.entropyBits(Samples.EPOCH_NANOS);
        // A multinomial of 100 per bin falls short of 10 bits by about 1023 / (2 · 1e5 · ln 2) ≈ 0.007.
        assertTrue(entropy <= 10.0 && entropy > 9.98, "entropy " + entropy);
        assertTrue(histogram.topShare(Samples.EPOCH_NANOS) < 0.0015, "top share");
    }

    @Test
    void emptyAndSingleValue() {
        DecayedHistogram histogram = new DecayedHistogram(64, TAU);
        assertEquals(0.0, histogram.entropyBits(0));
        assertEquals(0.0, histogram.topShare(0));
        for (int i = 0; i < 10; i++) {
            histogram.add(i * TAU, Hashes.of(53));
        }
        assertEquals(0.0, histogram.entropyBits(10 * TAU));
        assertEquals(1.0, histogram.topShare(10 * TAU));
    }

    /** One value weighs everything: exactly 0 bits, not the rounding left by the kept sums. */
    @Test
    void aSingleWeightedBinIsExactlyZeroBits() {
        assertApart(64);
        DecayedHistogram histogram = new DecayedHistogram(64, TAU);
        histogram.add(Samples.EPOCH_NANOS, Hashes.of(A));
        histogram.add(Samples.EPOCH_NANOS, Hashes.of(B));
        assertEquals(1.0, histogram.entropyBits(Samples.EPOCH_NANOS), 1e-12);
        long later = Samples.EPOCH_NANOS + 800 * TAU; // both earlier weights underflow to 0 at the rescale
        double bWeight = 0;
        for (int i = 0; i < 200; i++) {
            histogram.add(later + i * TAU / 100, Hashes.of(B));
            bWeight += Math.exp(i / 100.0);
            assertEquals(0.0, histogram.entropyBits(later), "b alone, " + (i + 1) + " values");
            assertEquals(1.0, histogram.topShare(later));
        }
        histogram.add(later, Hashes.of(A));
        double pa = 1 / (1 + bWeight);
        double expected = -(pa * Math.log(pa) + (1 - pa) * Math.log(1 - pa)) / Math.log(2);
        assertClose(expected, histogram.entropyBits(later), 1e-12, "a second value counts again");
    }

    @Test
    void binsMustBeAPowerOfTwoUpTo1024() {
        assertThrows(IllegalArgumentException.class, () -> new DecayedHistogram(1, TAU));
        assertThrows(IllegalArgumentException.class, () -> new DecayedHistogram(48, TAU));
        assertThrows(IllegalArgumentException.class, () -> new DecayedHistogram(2048, TAU));
    }
}
