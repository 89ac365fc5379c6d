package io.amoskys.stage.cross;

import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.feature.FeatureDefinition;
import java.util.function.ToDoubleFunction;

/**
 * One cross feature of a kind: computed from the vector alone ({@code of}), or, when {@code pair}
 * is set, a time-decayed relation of two columns across the entity's vectors.
 */
record CrossColumn(FeatureDefinition definition, ToDoubleFunction<FeatureVector> of, Pair pair) {

    /** Covariance or correlation of columns x and y, decayed with the window's time constant. */
    record Pair(String x, String y, long tauNanos, boolean correlation) {}

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
