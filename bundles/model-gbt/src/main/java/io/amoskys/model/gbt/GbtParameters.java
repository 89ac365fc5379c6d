package io.amoskys.model.gbt;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * XGBoost's parameters for the attack classifier: {@code binary:logistic}, {@code hist} trees, one
 * thread and a fixed seed, so that the same rows give the same booster (and the same ONNX bytes).
 *
 * @param balanceClasses weigh the attack rows by {@code benign rows / attack rows}
 *        ({@code scale_pos_weight}): the probability is then the one under equal class priors, and 0.5
 *        is a meaningful threshold even though the captures hold far more attack than benign flows
 */
public record GbtParameters(int rounds, int maxDepth, double eta, long seed, boolean balanceClasses) {
    public static final GbtParameters DEFAULTS = new GbtParameters(100, 6, 0.3, 1, true);

    public GbtParameters {
        if (rounds < 1 || maxDepth < 1 || !(eta > 0 && eta <= 1)) {
            throw new IllegalArgumentException("rounds and maxDepth must be positive, eta in (0, 1]: " + rounds + ", " + maxDepth + ", " + eta);
        }
    }

    /** What {@code XGBoost.train} is given (the number of rounds apart). */
    Map<String, Object> xgboost(double scalePosWeight) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("objective", "binary:logistic");
        params.put("tree_method", "hist");
        params.put("max_depth", maxDepth);
        params.put("eta", eta);
        params.put("seed", seed);
        params.put("nthread", 1);
        params.put("scale_pos_weight", scalePosWeight);
        params.put("eval_metric", "logloss");
        params.put("verbosity", 0);
        return params;
    }

    /** The parameters as the descriptor's provenance records them. */
    Map<String, Object> toJson(double scalePosWeight) {
        Map<String, Object> json = new LinkedHashMap<>(xgboost(scalePosWeight));
        json.remove("verbosity");
        json.remove("eval_metric");
        json.put("rounds", rounds);
        json.put("balanceClasses", balanceClasses);
        return json;
    }
}
