package io.amoskys.feature.stats;

/**
 * Exponentially time-decayed count, sum, mean and variance (time constant tau). Not thread-safe.
 *
 * <p>A value x<sub>i</sub> added at event time t<sub>i</sub> has, at a time T, the weight
 * w<sub>i</sub>(T) = exp(-(T - t<sub>i</sub>)/tau): 1 when fresh, 1/e after tau, a negligible
 * part after a few tens of tau. With W(T) = Σ w<sub>i</sub>(T):
 * <ul>
 * <li>{@link #weight}: W(T), a count in which each sample fades;
 * <li>{@link #rate}: W(T) / tau in seconds, events per second;
 * <li>{@link #sum}: Σ w<sub>i</sub>(T) x<sub>i</sub>;
 * <li>{@link #mean}: Σ w<sub>i</sub> x<sub>i</sub> / W and {@link #variance}: the population
 * variance Σ w<sub>i</sub> (x<sub>i</sub> - mean)² / W. Advancing T scales every weight by the
 * same factor, so these two do not depend on T.
 * </ul>
 * The state is held at its clock {@link #lastNanos}, the newest event time added; a T earlier than
 * the clock reads as the clock. A late sample (t &lt; lastNanos) is added with its exact weight at
 * the clock, exp(-(lastNanos - t)/tau), and does not move the clock, so the statistics equal
 * those of the same samples in time order (up to rounding).
 *
 * <p>The mean and variance are updated with West's weighted incremental algorithm
 * (D.H.D. West, 1979), not from a sum of squares, so values with a large common offset keep
 * their precision. Five numbers of state; no allocation.
 */
public final class DecayedMoments {
    private final double tauNanos;
    /** Shared with the entity's other accumulators of this time constant; null: compute each factor. */
    private final DecayFactor shared;
    private long lastNanos = Long.MIN_VALUE;
    /** W at lastNanos. 0 only when empty: the newest sample alone weighs 1 at the clock. */
    private double weight;
    private double mean;
    /** Σ w (x - mean)² at lastNanos. */
    private double squares;

    /** @param tauNanos the time constant; positive */
    public DecayedMoments(long tauNanos) {
        this.tauNanos = Decay.checkTau(tauNanos);
        this.shared = null;
    }

    /** With the time constant of {@code shared}, whose factors it reuses (same results). */
    public DecayedMoments(DecayFactor shared) {
        this.tauNanos = shared.tauNanos();
        this.shared = shared;
    }

    private double factor(long elapsedNanos) {
        return shared == null ? Decay.factor(elapsedNanos, tauNanos) : shared.decay(elapsedNanos);
    }

    /**
     * Adds x observed at tNanos. Its weight at any later time T is exp(-(T - tNanos)/tau). Out of
     * order (tNanos &lt; lastNanos()): added with weight exp(-(lastNanos - tNanos)/tau) without
     * moving the state's clock.
     */
    public void add(long tNanos, double x) {
        double w = 1.0;
        if (weight == 0) {
            lastNanos = tNanos;
        } else if (tNanos >= lastNanos) {
            double decay = factor(tNanos - lastNanos);
            weight *= decay;
            squares *= decay;
            lastNanos = tNanos;
        } else {
            w = factor(lastNanos - tNanos);
            if (w == 0) {
                return; // weighs nothing a double can hold
            }
        }
        double before = weight;
        weight += w;
        double delta = x - mean;
        double share = w / weight;
        mean += delta * share;
        // West: S += W_before * w / W_after * delta², a sum of non-negative terms.
        squares += before * share * delta * delta;
    }

    /**
     * Σ exp(-(now - t<sub>i</sub>)/tau) over added samples; for now &lt; lastNanos() uses
     * lastNanos(). 0 when empty.
     */
    public double weight(long nowNanos) {
        return nowNanos <= lastNanos ? weight : weight * factor(nowNanos - lastNanos);
    }

    /** weight(now) / tau in seconds: a smoothed events-per-second. */
    public double rate(long nowNanos) {
        return weight(nowNanos) / (tauNanos / 1e9);
    }

    /** Σ w<sub>i</sub> x<sub>i</sub> at now (decayed sum, e.g. bytes in the last ~tau); now before the clock reads as the clock. */
    public double sum(long nowNanos) {
        return mean * weight(nowNanos);
    }

    /** Weighted mean Σ w x / Σ w (independent of now); 0 when empty. */
    public double mean() {
        return mean;
    }

    /**
     * Weighted population variance Σ w (x - mean)² / Σ w (independent of now); 0 when empty or
     * one sample. Numerically stable (West's algorithm, not sum of squares).
     */
    public double variance() {
        return weight == 0 ? 0.0 : squares / weight;
    }

    /** The square root of {@link #variance()}. */
    public double std() {
        return Math.sqrt(variance());
    }

    /** The newest event time added, the state's clock; Long.MIN_VALUE when empty. */
    public long lastNanos() {
        return lastNanos;
    }

    /** Whether nothing has been added. */
    public boolean isEmpty() {
        return weight == 0;
    }
}
