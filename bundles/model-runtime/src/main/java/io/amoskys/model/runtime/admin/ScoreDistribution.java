package io.amoskys.model.runtime.admin;

import java.util.List;

/**
 * How one model version's scores fall since it was loaded, in fixed buckets (those of its
 * {@code amoskys_model_score} histogram in {@code /metrics}).
 *
 * @param upperBounds each bucket's highest score, ascending
 * @param counts scores per bucket, not cumulative: {@code counts[i]} lie above
 *     {@code upperBounds[i-1]} and at most {@code upperBounds[i]}; one more at the end counts those
 *     above the last bound
 * @since 1.2
 */
public record ScoreDistribution(String name, String version, List<Double> upperBounds, List<Long> counts) {
    public ScoreDistribution {
        upperBounds = List.copyOf(upperBounds);
        counts = List.copyOf(counts);
    }
}
