package io.amoskys.feature.stats;

/** The exponential time decay shared by the decayed statistics. */
final class Decay {
    private Decay() {}

    static double checkTau(long tauNanos) {
        if (tauNanos <= 0) {
            throw new IllegalArgumentException("tau must be positive: " + tauNanos);
        }
        return tauNanos;
    }

    /**
     * exp(-elapsed/tau) for an elapsed time that is not negative. A difference of two event times
     * overflows a long only across centuries; such a span decays to 0.
     */
    static double factor(long elapsedNanos, double tauNanos) {
        return elapsedNanos < 0 ? 0.0 : Math.exp(-elapsedNanos / tauNanos);
    }
}
