package io.amoskys.stage.cross;

import io.amoskys.api.feature.FeatureDefinition;
import java.util.function.ToDoubleFunction;

/**
 * One cross feature of a kind: computed from the vector alone ({@code of}); or, when {@code pair}
 * is set, a time-decayed relation of two columns across the entity's vectors; or, when
 * {@code burst} is set, the ratio of two decayed rates corrected for the entity's age. Columns of
 * the vector are read through their kind's {@link Inputs}: {@code of} gets the array of input
 * values, pairs and bursts name their inputs by slot.
 */
record CrossColumn(FeatureDefinition definition, ToDoubleFunction<double[]> of, Pair pair, Burst burst) {

    /** Covariance or correlation of inputs x and y, decayed with the window's time constant. */
    record Pair(int x, int y, long tauNanos, boolean correlation) {}

    /**
     * fast / slow, two decayed rates of time constants tauFast and tauSlow. A rate decayed with time
     * constant tau over an entity seen for only {@code age} is low by the factor 1 - exp(-age/tau);
     * both are divided by it, so a new host's first flow is not a burst of 60 against itself.
     */
    record Burst(int fast, double tauFastSeconds, int slow, double tauSlowSeconds) {
        /** With the {@link #shortfall}s of both time constants at the entity's age, which bursts of the same constants share. */
        double of(double[] in, double ageSeconds, double fastShortfall, double slowShortfall) {
            double fastRate = in[fast] / fastShortfall;
            double slowRate = in[slow] / slowShortfall;
            return ageSeconds <= 0 || slowRate == 0 ? 1 : fastRate / slowRate;
        }

        /** 1 - exp(-age/tau): the part of its long-run level a decayed rate reaches after age. */
        static double shortfall(double ageSeconds, double tauSeconds) {
            return 1 - Math.exp(-ageSeconds / tauSeconds);
        }
    }

    /** a / b, and 0 when b is 0: "no packets" has no bytes per packet, not an infinite one. */
    static double ratio(double a, double b) {
        return b == 0 ? 0 : a / b;
    }
}
