package io.amoskys.api.alert;

/** How much one feature pushed a score kept as evidence. */
public class ContributionDTO {
    public String feature;
    /** The feature's value in the scored vector. */
    public double value;
    /** The detector's measure of its share in the score (larger means more). */
    public double weight;
}
