package io.amoskys.feature.stats;

/**
 * A decayed histogram of hashed values in a fixed number of bins, for entropy of a distribution
 * (ports, names).
 *
 * <p>A value goes to bin b = mix(hash) &amp; (bins - 1), mix being the fmix64 bijection of
 * {@link Hashes}; distinct values may share a bin, which lowers the entropy a little and caps it at
 * log2(bins). A value added at t weighs exp(-(T - t)/tau) at T, as in {@link DecayedMoments}, late
 * ones included. The bin weights W<sub>b</sub> all decay by the same factor, so the shares
 * p<sub>b</sub> = W<sub>b</sub> / Σ W, and with them the entropy and top share, do not depend on
 * the time they are read at.
 *
 * <p>Weights are kept relative to a base time, so adding is O(1): the base moves forward (an
 * O(bins) rescale) only when a value arrives 64 tau after it. The total, the heaviest bin and, once
 * the entropy has been read, Σ W<sub>b</sub> ln W<sub>b</sub> are kept as values arrive, so reading is
 * O(1) too and touches none of the bins: an entity's bins are usually cold by the time it is seen
 * again. Entropy is then ln Σ W − (Σ W ln W) / Σ W: the sum over shares to within 1e-11 bits over
 * 200,000 values without a rescale ({@code DecayedHistogramTest}), and the sums are recomputed from
 * the bins at every rescale. No allocation. Not thread-safe.
 */
public final class DecayedHistogram {
    /** e^64 ≈ 6e27: far from overflow even summed over many values, and rescaling stays rare. */
    private static final double REBASE_EXPONENT = 64;
    private static final double LN2 = Math.log(2);

    private final double tauNanos;
    /** Shared with the entity's other histograms of this time constant; null: compute each weight. */
    private final DecayFactor shared;
    private final int mask;
    /** log2(bins), the entropy's cap. */
    private final double maxBits;
    /** The weight of bin b at time T is binWeights[b] · exp(-(T - baseNanos)/tau). */
    private final double[] binWeights;
    /** Bit b set once bin b got a value: recomputing the sums visits these bins only. */
    private final long[] used;
    private long baseNanos;
    private boolean empty = true;
    /** Σ binWeights, the largest of them, and Σ w ln w over them (kept once {@code entropyKept}). */
    private double total;
    private double heaviest;
    private double weightedLogs;
    private boolean entropyKept;
    /** Bins whose weight is not 0: with one, the entropy is exactly 0, not the rounding of the sums. */
    private int nonZeroBins;

    /** @param bins a power of two, 2..1024 */
    public DecayedHistogram(int bins, long tauNanos) {
        this(bins, Decay.checkTau(tauNanos), null);
    }

    /** With the time constant of {@code shared}, whose weights it reuses (same results). */
    public DecayedHistogram(int bins, DecayFactor shared) {
        this(bins, shared.tauNanos(), shared);
    }

    private DecayedHistogram(int bins, double tauNanos, DecayFactor shared) {
        if (bins < 2 || bins > 1024 || Integer.bitCount(bins) != 1) {
            throw new IllegalArgumentException("bins must be a power of two in 2..1024: " + bins);
        }
        this.tauNanos = tauNanos;
        this.shared = shared;
        this.mask = bins - 1;
        this.maxBits = Math.log(bins) / LN2;
        this.binWeights = new double[bins];
        this.used = new long[(bins + 63) / 64];
    }

    /** bin = mix(hash) &amp; (bins-1); same decay rule as DecayedMoments, out of order likewise. */
    public void add(long tNanos, long hash) {
        if (empty) {
            baseNanos = tNanos;
            empty = false;
        }
        double exponent = (tNanos - baseNanos) / tauNanos;
        if (exponent > REBASE_EXPONENT) {
            double decay = Math.exp(-exponent);
            for (int b = 0; b < binWeights.length; b++) {
                binWeights[b] *= decay;
            }
            baseNanos = tNanos;
            exponent = 0;
            resum();
        }
        int bin = bin(hash, mask);
        // A late value: exponent < 0, exact weight. The shared factor is exp of the same quotient.
        double added = shared == null ? Math.exp(exponent) : shared.growth(tNanos - baseNanos);
        double before = binWeights[bin];
        double after = before + added;
        binWeights[bin] = after;
        used[bin >>> 6] |= 1L << bin;
        if (before == 0 && after > 0) {
            nonZeroBins++;
        }
        total += added;
        heaviest = Math.max(heaviest, after);
        if (entropyKept) {
            weightedLogs += wLnW(after) - wLnW(before);
        }
    }

    private static double wLnW(double w) {
        return w > 0 ? w * Math.log(w) : 0.0;
    }

    /** The kept sums, exactly from the bins: after a rescale, and when the entropy is first read. */
    private void resum() {
        total = 0;
        heaviest = 0;
        weightedLogs = 0;
        nonZeroBins = 0;
        for (int word = 0; word < used.length; word++) {
            for (long bits = used[word]; bits != 0; bits &= bits - 1) {
                double w = binWeights[word * 64 + Long.numberOfTrailingZeros(bits)];
                nonZeroBins += w > 0 ? 1 : 0;
                total += w;
                heaviest = Math.max(heaviest, w);
                weightedLogs += wLnW(w);
            }
        }
    }

    static int bin(long hash, int mask) {
        return (int) (Hashes.mix(hash) & mask);
    }

    /**
     * Shannon entropy in bits of the decayed bin weights at now, -Σ p<sub>b</sub> log2
     * p<sub>b</sub>; 0 when empty. At most log2(bins). Independent of now (see above).
     */
    public double entropyBits(long nowNanos) {
        if (!entropyKept) {
            entropyKept = true;
            resum();
        }
        if (nonZeroBins < 2) {
            return 0.0;
        }
        // -Σ p ln p = ln T - (Σ w ln w) / T; the difference of two close numbers can pass 0 or the cap by rounding.
        double nats = Math.log(total) - weightedLogs / total;
        return Math.max(0.0, Math.min(nats / LN2, maxBits));
    }

    /** Share of the total weight in the heaviest bin, in [0,1]; 0 when empty. Independent of now. */
    public double topShare(long nowNanos) {
        return total == 0 ? 0.0 : Math.min(1.0, heaviest / total);
    }
}
