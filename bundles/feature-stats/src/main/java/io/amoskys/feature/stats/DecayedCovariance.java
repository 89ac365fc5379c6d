package io.amoskys.feature.stats;

/**
 * Time-decayed covariance and correlation of paired values (x, y), same weighting as
 * {@link DecayedMoments}: a pair added at t weighs exp(-(T - t)/tau) at T, a late pair is added
 * with its weight at the clock (the newest time added) without moving it. With
 * W = Σ w<sub>i</sub>:
 * <ul>
 * <li>{@link #covariance}: Σ w<sub>i</sub> (x<sub>i</sub> - mean<sub>x</sub>)(y<sub>i</sub> -
 * mean<sub>y</sub>) / W, the weighted population covariance;
 * <li>{@link #correlation}: covariance / sqrt(variance<sub>x</sub> · variance<sub>y</sub>)
 * (Pearson on the weights), in [-1, 1].
 * </ul>
 * Neither depends on the time they are read at. West's incremental update (co-moment, not sums of
 * products); no allocation. Not thread-safe.
 */
public final class DecayedCovariance {
    private final double tauNanos;
    /** Shared with the entity's other accumulators of this time constant; null: compute each factor. */
    private final DecayFactor shared;
    private long lastNanos = Long.MIN_VALUE;
    private double weight;
    private double meanX;
    private double meanY;
    private double squaresX;
    private double squaresY;
    private double coMoment;

    /** @param tauNanos the time constant; positive */
    public DecayedCovariance(long tauNanos) {
        this.tauNanos = Decay.checkTau(tauNanos);
        this.shared = null;
    }

    /** With the time constant of {@code shared}, whose factors it reuses (same results). */
    public DecayedCovariance(DecayFactor shared) {
        this.tauNanos = shared.tauNanos();
        this.shared = shared;
    }

    private double factor(long elapsedNanos) {
        return shared == null ? Decay.factor(elapsedNanos, tauNanos) : shared.decay(elapsedNanos);
    }

    /** Adds the pair (x, y) observed at tNanos; a late pair as in {@link DecayedMoments#add}. */
    public void add(long tNanos, double x, double y) {
        double w = 1.0;
        if (weight == 0) {
            lastNanos = tNanos;
        } else if (tNanos >= lastNanos) {
            double decay = factor(tNanos - lastNanos);
            weight *= decay;
            squaresX *= decay;
            squaresY *= decay;
            coMoment *= decay;
            lastNanos = tNanos;
        } else {
            w = factor(lastNanos - tNanos);
            if (w == 0) {
                return;
            }
        }
        double before = weight;
        weight += w;
        double share = w / weight;
        double dx = x - meanX;
        double dy = y - meanY;
        meanX += dx * share;
        meanY += dy * share;
        double pairWeight = before * share; // W_before * w / W_after
        squaresX += pairWeight * dx * dx;
        squaresY += pairWeight * dy * dy;
        coMoment += pairWeight * dx * dy;
    }

    /** Weighted population covariance; 0 when fewer than 2 samples. */
    public double covariance() {
        return weight == 0 ? 0.0 : coMoment / weight;
    }

    /** Pearson correlation on the weights, in [-1, 1]; 0 when either variance is 0. */
    public double correlation() {
        if (squaresX == 0 || squaresY == 0) {
            return 0.0;
        }
        double r = coMoment / (Math.sqrt(squaresX) * Math.sqrt(squaresY)); // no underflow of the product
        return Math.max(-1.0, Math.min(1.0, r)); // rounding may step past ±1
    }

    /** Σ exp(-(now - t<sub>i</sub>)/tau); for now before the newest time added uses that time. 0 when empty. */
    public double weight(long nowNanos) {
        return nowNanos <= lastNanos ? weight : weight * factor(nowNanos - lastNanos);
    }
}
