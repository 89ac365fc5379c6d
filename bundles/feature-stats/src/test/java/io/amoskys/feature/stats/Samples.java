package io.amoskys.feature.stats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Test sequences over event time, and the brute-force weights the decayed classes must match. */
final class Samples {
    /** A realistic clock: 2023-11-14 in nanoseconds since the epoch. */
    static final long EPOCH_NANOS = 1_700_000_000_000_000_000L;

    record Sample(long t, double x, double y) {}

    private Samples() {}

    /**
     * n samples: steps mostly under tau/2, some gaps of 2..22 tau, a few of 50 and 70 tau (past the
     * histogram's rebase) and of 800 tau (every earlier weight underflows to 0); then about a third
     * of the blocks of 16 shuffled, and some samples delivered 100 places late. y = 0.6 x + noise.
     */
    static List<Sample> sequence(long seed, int n, long tauNanos, double offset, double spread) {
        Random random = new Random(seed);
        List<Sample> samples = new ArrayList<>(n);
        long t = EPOCH_NANOS;
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            double gapTaus = u < 0.9 ? random.nextDouble() / 2
                    : u < 0.98 ? 2 + 20 * random.nextDouble()
                    : u < 0.99 ? 50
                    : u < 0.999 ? 70
                    : 800;
            t += (long) (gapTaus * tauNanos);
            double x = offset + spread * random.nextGaussian();
            samples.add(new Sample(t, x, 0.6 * x + spread * random.nextGaussian()));
        }
        for (int from = 0; from + 16 <= n; from += 16) {
            if (random.nextInt(3) == 0) {
                Collections.shuffle(samples.subList(from, from + 16), random);
            }
        }
        for (int i = 0; i + 100 < n; i += 97) {
            samples.add(i + 100, samples.remove(i));
        }
        return samples;
    }

    static long newest(List<Sample> samples) {
        long newest = Long.MIN_VALUE;
        for (Sample s : samples) {
            newest = Math.max(newest, s.t());
        }
        return newest;
    }

    /** exp(-(T - t)/tau), computed directly for each sample. */
    static double[] weights(List<Sample> samples, long atNanos, long tauNanos) {
        double[] w = new double[samples.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.exp(-(double) (atNanos - samples.get(i).t()) / tauNanos);
        }
        return w;
    }

    static double sum(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum;
    }

    /**
     * Weighted population covariance from its pairwise form Σ<sub>i,j</sub> w<sub>i</sub>
     * w<sub>j</sub> (a<sub>i</sub> - a<sub>j</sub>)(b<sub>i</sub> - b<sub>j</sub>) / (2 W²): no
     * mean is subtracted, so it stays exact where a two-pass formula would cancel.
     */
    static double pairwiseCovariance(double[] w, double[] a, double[] b) {
        double total = 0;
        for (int i = 0; i < w.length; i++) {
            if (w[i] == 0) {
                continue;
            }
            double row = 0;
            for (int j = 0; j < i; j++) {
                row += w[j] * (a[i] - a[j]) * (b[i] - b[j]);
            }
            total += w[i] * row;
        }
        double weight = sum(w);
        return total / weight / weight; // the pairs j < i are half of the double sum
    }

    static void assertClose(double expected, double actual, double tolerance, String what) {
        if (!(Math.abs(expected - actual) <= tolerance)) {
            throw new AssertionError(what + ": expected " + expected + " but was " + actual
                    + " (difference " + Math.abs(expected - actual) + " > " + tolerance + ")");
        }
    }
}
