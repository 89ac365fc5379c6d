package io.amoskys.detector.zscore;

import io.amoskys.api.event.FeatureSchema;

/**
 * Exponentially time-decayed mean and variance of each feature of one entity (West's weighted
 * incremental algorithm): a sample's weight halves every half-life, so the statistics follow
 * slow drift and forget old behaviour, in constant memory.
 */
final class DecayingStats {
    private final double[] mean;
    private final double[] sumSquares;
    private double weight;
    private long samples;
    private long lastNanos;

    DecayingStats(FeatureSchema schema) {
        this.mean = new double[schema.size()];
        this.sumSquares = new double[schema.size()];
    }

    /** How many samples have been added. */
    long samples() {
        return samples;
    }

    /** |z| of each value against the history so far (before the value is added). */
    double[] zScores(double[] values) {
        double[] z = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            double sd = Math.sqrt(Math.max(0, sumSquares[i] / weight));
            // A feature that never moved still has a scale: a small part of its size.
            double floor = 1e-3 * Math.max(1.0, Math.abs(mean[i]));
            z[i] = Math.abs(values[i] - mean[i]) / Math.max(sd, floor);
        }
        return z;
    }

    void add(double[] values, long timestampNanos, double halfLifeNanos) {
        double decay = weight == 0 || timestampNanos <= lastNanos
                ? 1.0
                : Math.pow(0.5, (timestampNanos - lastNanos) / halfLifeNanos);
        weight = weight * decay + 1.0;
        samples++;
        for (int i = 0; i < values.length; i++) {
            double before = mean[i];
            mean[i] = before + (values[i] - before) / weight;
            sumSquares[i] = sumSquares[i] * decay + (values[i] - before) * (values[i] - mean[i]);
        }
        lastNanos = Math.max(lastNanos, timestampNanos);
    }
}
