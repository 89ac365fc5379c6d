package io.amoskys.feature.stats;

import static io.amoskys.feature.stats.Samples.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.feature.stats.Samples.Sample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DecayedMomentsTest {
    private static final long TAU = 2_000_000_000L;
    private static final double TAU_SECONDS = 2.0;
    private static final double REL = 1e-9;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void matchesBruteForceWithGapsAndLateSamples(long seed) {
        List<Sample> samples = Samples.sequence(seed, 2000, TAU, 5, 40);
        DecayedMoments moments = new DecayedMoments(TAU);
        for (int k = 1; k <= samples.size(); k++) {
            Sample s = samples.get(k - 1);
            moments.add(s.t(), s.x());
            if (k % 97 == 0 || k < 5 || k == samples.size()) {
                check(moments, samples.subList(0, k), "seed " + seed + ", " + k + " samples");
            }
        }
    }

    private static void check(DecayedMoments moments, List<Sample> added, String where) {
        long newest = Samples.newest(added);
        assertEquals(newest, moments.lastNanos(), where);
        assertFalse(moments.isEmpty());
        double[] x = added.stream().mapToDouble(Sample::x).toArray();
        for (long now : new long[] {newest - TAU, newest, newest + TAU / 3, newest + 4 * TAU}) {
            double[] w = Samples.weights(added, Math.max(now, newest), TAU);
            double weight = Samples.sum(w);
            double weightedSum = 0;
            double weightedAbs = 0;
            for (int i = 0; i < w.length; i++) {
                weightedSum += w[i] * x[i];
                weightedAbs += w[i] * Math.abs(x[i]);
            }
            assertClose(weight, moments.weight(now), REL * weight, where + ": weight");
            assertClose(weight / TAU_SECONDS, moments.rate(now), REL * weight / TAU_SECONDS, where + ": rate");
            assertClose(weightedSum, moments.sum(now), REL * weightedAbs, where + ": sum");
        }
        double[] w = Samples.weights(added, newest, TAU);
        double weight = Samples.sum(w);
        double mean = 0;
        double scale = 0;
        for (int i = 0; i < w.length; i++) {
            mean += w[i] * x[i] / weight;
            scale += w[i] * Math.abs(x[i]) / weight;
        }
        double variance = Samples.pairwiseCovariance(w, x, x);
        assertClose(mean, moments.mean(), REL * scale, where + ": mean");
        assertClose(variance, moments.variance(), REL * variance, where + ": variance");
        assertClose(Math.sqrt(variance), moments.std(), REL * Math.sqrt(variance), where + ": std");
    }

    @Test
    void largeOffsetKeepsItsPrecision() {
        // Values about 1e9 with standard deviation 1: the ulp of 1e9 is 1.2e-7, so the data itself
        // limits the variance to a relative precision near 1e-7.
        List<Sample> samples = Samples.sequence(7, 3000, TAU, 1e9, 1);
        DecayedMoments moments = new DecayedMoments(TAU);
        samples.forEach(s -> moments.add(s.t(), s.x()));

        double[] w = Samples.weights(samples, Samples.newest(samples), TAU);
        double[] x = samples.stream().mapToDouble(Sample::x).toArray();
        double variance = Samples.pairwiseCovariance(w, x, x);
        assertTrue(variance > 0.1, "the test needs a spread: " + variance);
        assertClose(variance, moments.variance(), 1e-6 * variance, "variance at offset 1e9");

        // The textbook Σwx²/W - (Σwx/W)², decayed the same way, loses everything at this offset.
        double weight = Samples.sum(w);
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < w.length; i++) {
            sum += w[i] * x[i];
            squares += w[i] * x[i] * x[i];
        }
        double naive = squares / weight - (sum / weight) * (sum / weight);
        assertTrue(Math.abs(naive - variance) > 0.01 * variance, "naive " + naive + " vs " + variance);
    }

    @Test
    void resultsDoNotDependOnArrivalOrder() {
        List<Sample> arrival = Samples.sequence(11, 1500, TAU, -3, 7);
        List<Sample> sorted = new ArrayList<>(arrival);
        sorted.sort(Comparator.comparingLong(Sample::t));
        DecayedMoments late = new DecayedMoments(TAU);
        DecayedMoments inOrder = new DecayedMoments(TAU);
        arrival.forEach(s -> late.add(s.t(), s.x()));
        sorted.forEach(s -> inOrder.add(s.t(), s.x()));
        long now = sorted.get(sorted.size() - 1).t() + TAU;
        assertClose(inOrder.weight(now), late.weight(now), 1e-12 * inOrder.weight(now), "weight");
        assertClose(inOrder.mean(), late.mean(), 1e-12 * 10, "mean");
        assertClose(inOrder.variance(), late.variance(), 1e-11 * inOrder.variance(), "variance");
    }

    @Test
    void lateSampleIsWeightedAtTheClockWithoutMovingIt() {
        DecayedMoments moments = new DecayedMoments(TAU);
        moments.add(10 * TAU, 4.0);
        moments.add(9 * TAU, 1.0); // one tau late
        assertEquals(10 * TAU, moments.lastNanos());
        double late = Math.exp(-1);
        assertClose(1 + late, moments.weight(10 * TAU), 1e-15, "weight at the clock");
        assertClose(1 + late, moments.weight(0), 1e-15, "a time before the clock reads as the clock");
        assertClose((1 + late) * Math.exp(-2), moments.weight(12 * TAU), 1e-15, "two tau later");
        double mean = (4 + late) / (1 + late);
        assertClose(mean, moments.mean(), 1e-15, "mean");
        assertClose((Math.pow(4 - mean, 2) + late * Math.pow(1 - mean, 2)) / (1 + late), moments.variance(), 1e-14, "variance");
    }

    @Test
    void emptyAndSingleSample() {
        DecayedMoments moments = new DecayedMoments(TAU);
        assertTrue(moments.isEmpty());
        assertEquals(Long.MIN_VALUE, moments.lastNanos());
        assertEquals(0.0, moments.weight(123));
        assertEquals(0.0, moments.rate(123));
        assertEquals(0.0, moments.sum(123));
        assertEquals(0.0, moments.mean());
        assertEquals(0.0, moments.variance());

        moments.add(Samples.EPOCH_NANOS, 42.5);
        assertFalse(moments.isEmpty());
        assertEquals(Samples.EPOCH_NANOS, moments.lastNanos());
        assertEquals(1.0, moments.weight(Samples.EPOCH_NANOS));
        assertEquals(0.5, moments.rate(Samples.EPOCH_NANOS));
        assertEquals(42.5, moments.sum(Samples.EPOCH_NANOS));
        assertEquals(42.5, moments.mean());
        assertEquals(0.0, moments.variance());
        assertEquals(0.0, moments.std());
    }

    @Test
    void refusesANonPositiveTau() {
        assertThrows(IllegalArgumentException.class, () -> new DecayedMoments(0));
    }
}
