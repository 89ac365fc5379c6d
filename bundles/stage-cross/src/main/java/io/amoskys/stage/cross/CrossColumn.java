package io.amoskys.stage.cross;

import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.feature.FeatureDefinition;
import java.util.function.ToDoubleFunction;

/**
 * One cross feature of a kind: computed from the vector alone ({@code of}); or, when {@code pair}
 * is set, a time-decayed relation of two columns across the entity's vectors; or, when
 * {@code burst} is set, the ratio of two decayed rates corrected for the entity's age.
 */
record CrossColumn(FeatureDefinition definition, ToDoubleFunction<FeatureVector> of, Pair pair, Burst burst) {

    /** Covariance or correlation of columns x and y, decayed with the window's time constant. */
    record Pair(String x, String y, long tauNanos, boolean correlation) {}

    /**
     * fast / slow, two decayed rates of time constants tauFast and tauSlow. A rate decayed with time
     * constant tau over an entity seen for only {@code age} is low by the factor 1 - exp(-age/tau);
     * both are divided by it, so a new host's first flow is not a burst of 60 against itself.
     */
    record Burst(String fast, double tauFastSeconds, String slow, double tauSlowSeconds) {
        double of(FeatureVector v, double ageSeconds) {
            double fastRate = value(v, fast) / (1 - Math.exp(-ageSeconds / tauFastSeconds));
            double slowRate = value(v, slow) / (1 - Math.exp(-ageSeconds / tauSlowSeconds));
            return ageSeconds <= 0 || slowRate == 0 ? 1 : fastRate / slowRate;
        }
    }

    /** A column's value, 0 where the vector lacks it (an earlier stage left out of the route). */
    static double value(FeatureVector v, String column) {
        double value = v.get(column);
        return Double.isNaN(value) ? 0 : value;
    }

    /** a / b, and 0 when b is 0: "no packets" has no bytes per packet, not an infinite one. */
    static double ratio(double a, double b) {
        return b == 0 ? 0 : a / b;
    }
}
