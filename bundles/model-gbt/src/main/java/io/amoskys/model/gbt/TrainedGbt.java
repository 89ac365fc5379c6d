package io.amoskys.model.gbt;

import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;

/**
 * What training produced: the booster (for checks against ONNX Runtime; dispose it when done),
 * its trees, the ONNX model, the schema and columns it reads ({@code columns}: their indices in
 * the schema's vectors), its verdict threshold and the provenance for the descriptor's
 * {@code training} object. Nothing here depends on the clock.
 */
public record TrainedGbt(Booster booster, BoostedTrees trees, String schema, List<String> features, int[] columns, byte[] onnx,
        double threshold, double[] featureMeans, double[] featureStds, Map<String, Object> training) {

    /** One sentence for the descriptor's {@code outputMeaning}. */
    public static final String OUTPUT_MEANING = "Probability, under equal class priors, that the flow vector belongs to one of "
            + "the known attack classes the model was trained on (XGBoost binary:logistic); near 0 is benign, near 1 an attack.";

    /** The schema's rows cut to the model's columns, in the order of {@code features}. */
    public float[][] modelInput(float[][] schemaRows) {
        float[][] out = new float[schemaRows.length][columns.length];
        for (int r = 0; r < schemaRows.length; r++) {
            for (int k = 0; k < columns.length; k++) {
                out[r][k] = schemaRows[r][columns[k]];
            }
        }
        return out;
    }
}
