package io.amoskys.feature.stats;

/**
 * The decay factors of one time constant, remembered for the last time span asked: an entity's
 * accumulators of the same time constant are updated at the same event times, so they ask for the
 * same factor, and exp costs more than the comparison. Give one instance to the accumulators of
 * one entity ({@link DecayedMoments#DecayedMoments(DecayFactor)} and the like); the answers are
 * those of the plain constructors, bit for bit. Not thread-safe: use it under the entity's lock.
 */
public final class DecayFactor {
    private final double tauNanos;
    private long decayedNanos = -1; // never asked: negative spans are answered before the memo
    private double decay;
    private long grownNanos = Long.MIN_VALUE;
    private double growth;

    /** @param tauNanos the time constant; positive */
    public DecayFactor(long tauNanos) {
        this.tauNanos = Decay.checkTau(tauNanos);
        this.growth = Math.exp(grownNanos / this.tauNanos); // so that the first answer is right for any span
    }

    double tauNanos() {
        return tauNanos;
    }

    /** exp(-elapsed/tau), 0 for a negative span: {@link Decay#factor}. */
    double decay(long elapsedNanos) {
        if (elapsedNanos < 0) {
            return 0.0;
        }
        if (elapsedNanos != decayedNanos) {
            decay = Math.exp(-elapsedNanos / tauNanos);
            decayedNanos = elapsedNanos;
        }
        return decay;
    }

    /** exp(span/tau), the weight of a value added span after a histogram's base time. */
    double growth(long spanNanos) {
        if (spanNanos != grownNanos) {
            growth = Math.exp(spanNanos / tauNanos);
            grownNanos = spanNanos;
        }
        return growth;
    }
}
