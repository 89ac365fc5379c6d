package io.amoskys.model.iforest;

import java.util.List;
import java.util.Map;

/**
 * What training produced: the ONNX model, the schema and columns it reads, its verdict threshold
 * and the provenance for the descriptor's {@code training} object. Nothing here depends on the
 * clock, so the same data, parameters and seed give equal results byte for byte.
 *
 * @param threshold the score from which a row is called anomalous: the {@code 1 - contamination} quantile of the training rows' scores
 */
public record TrainedIsolationForest(IsolationForest forest, String schema, List<String> features, byte[] onnx, double threshold,
        double[] featureMeans, double[] featureStds, Map<String, Object> training) {

    /** One sentence for the descriptor's {@code outputMeaning}. */
    public static final String OUTPUT_MEANING = "Isolation Forest anomaly score 2^(-E[h]/c(n)) in (0, 1]: how easily random "
            + "splits isolate the vector from the training baseline; about 0.5 or less is ordinary, near 1 is anomalous.";
}
