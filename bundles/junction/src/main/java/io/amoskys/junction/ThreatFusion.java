package io.amoskys.junction;

import io.amoskys.api.event.Score;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One observation's threat from the scores detectors gave it: logistic fusion of each
 * detector's distance from its own threshold,
 *
 * <pre>
 *   log-odds = bias + Σ<sub>d</sub> w<sub>d</sub> · (s<sub>d</sub> − t<sub>d</sub>),   threat = 1 / (1 + e<sup>−log-odds</sup>)
 * </pre>
 *
 * where s<sub>d</sub> is detector d's score, t<sub>d</sub> the threshold its model was shipped with
 * (the score at which it would flag) and w<sub>d</sub> its weight. A score at its threshold adds
 * nothing, above it adds evidence, below it takes some away; a detector that did not score the
 * observation is left out. This is logistic regression over the detectors' margins, so the
 * weights and bias can be fitted on labelled replays ({@link io.amoskys.junction.fit.WeightFitter}); the defaults (every
 * weight {@value #DEFAULT_WEIGHT}, bias 0) make one detector at its threshold a threat of 0.5.
 * Each term is the detector's share in the explanation.
 */
final class ThreatFusion {
    static final double DEFAULT_WEIGHT = 10;

    /** One detector's part: its score, threshold, weight and the log-odds it added. */
    record Part(String detector, String modelVersion, double score, double threshold, double weight, double logOdds) {}

    /** The fused threat, its log-odds, and the parts by decreasing size. */
    record Fused(double threat, double logOdds, List<Part> parts) {}

    private final Map<String, Double> weights;
    private final double bias;

    /** @param weights per detector name; others weigh {@link #DEFAULT_WEIGHT} */
    ThreatFusion(Map<String, Double> weights, double bias) {
        this.weights = Map.copyOf(weights);
        this.bias = bias;
    }

    double weight(String detector) {
        return weights.getOrDefault(detector, DEFAULT_WEIGHT);
    }

    /** @param thresholds each detector's threshold */
    Fused fuse(List<Score> scores, Thresholds thresholds) {
        List<Part> parts = new ArrayList<>(scores.size());
        double logOdds = bias;
        for (Score s : scores) {
            double threshold = thresholds.of(s.detector());
            double w = weight(s.detector());
            double part = w * (s.value() - threshold);
            logOdds += part;
            parts.add(new Part(s.detector(), s.modelVersion(), s.value(), threshold, w, part));
        }
        parts.sort(Comparator.comparingDouble((Part p) -> -Math.abs(p.logOdds())).thenComparing(Part::detector));
        return new Fused(sigmoid(logOdds), logOdds, List.copyOf(parts));
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static double logit(double p) {
        double clipped = Math.min(1 - 1e-9, Math.max(1e-9, p));
        return Math.log(clipped / (1 - clipped));
    }
}
