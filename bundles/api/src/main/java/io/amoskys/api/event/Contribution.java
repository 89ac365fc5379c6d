package io.amoskys.api.event;

import java.util.Objects;

/** How much one feature pushed a score, for the explanation shown with it. */
public final class Contribution {
    private final String feature;
    private final double value;
    private final double weight;

    /**
     * @param feature the feature's name in its schema
     * @param value the feature's value in the scored vector
     * @param weight the detector's measure of its share in the score (larger means more)
     */
    public Contribution(String feature, double value, double weight) {
        this.feature = Objects.requireNonNull(feature, "feature");
        this.value = value;
        this.weight = weight;
    }

    public String feature() {
        return feature;
    }

    public double value() {
        return value;
    }

    public double weight() {
        return weight;
    }

    @Override
    public String toString() {
        return feature + "=" + value + " (" + weight + ")";
    }
}
