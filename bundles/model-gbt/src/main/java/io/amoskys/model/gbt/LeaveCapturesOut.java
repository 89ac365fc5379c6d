package io.amoskys.model.gbt;

import io.amoskys.model.format.RocAuc;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import ml.dmlc.xgboost4j.java.Booster;

/**
 * Leave-one-capture-out evaluation: for each capture (group), a booster trained on every other
 * capture's rows scores that capture's rows, so no row is scored by a model that saw its capture.
 * The held-out scores of all captures are then pooled: ROC AUC of all attack rows against all
 * benign rows, and of each attack category's rows against all benign rows; detection at the
 * threshold per category and per capture. Pooling scores of 30-odd models is the usual
 * cross-validation shortcut; with captures this small the numbers are a sanity check, not a benchmark.
 *
 * @param scores each row's held-out attack probability, in the set's row order
 */
public record LeaveCapturesOut(double[] scores, double auc, Map<String, Object> perCategory, Map<String, Object> perCapture,
        double benignFlaggedShare, double attackDetectedShare) {

    public static LeaveCapturesOut evaluate(LabelledSet set, GbtParameters parameters, double threshold) {
        float[][] rows = set.rows();
        int[] labels = set.labels();
        List<String> groups = set.groups();
        List<String> categories = set.categories();
        double[] scores = new double[rows.length];
        for (String held : new TreeSet<>(groups)) {
            List<float[]> trainRows = new ArrayList<>();
            List<Integer> trainLabels = new ArrayList<>();
            List<Integer> heldOut = new ArrayList<>();
            for (int r = 0; r < rows.length; r++) {
                if (groups.get(r).equals(held)) {
                    heldOut.add(r);
                } else {
                    trainRows.add(rows[r]);
                    trainLabels.add(labels[r]);
                }
            }
            Booster booster = Xgb.fit(trainRows.toArray(float[][]::new), trainLabels.stream().mapToInt(Integer::intValue).toArray(),
                    parameters);
            try {
                float[] predicted = Xgb.predict(booster, heldOut.stream().map(r -> rows[r]).toArray(float[][]::new));
                for (int i = 0; i < predicted.length; i++) {
                    scores[heldOut.get(i)] = predicted[i];
                }
            } finally {
                booster.dispose();
            }
        }

        List<Double> benign = new ArrayList<>();
        List<Double> attack = new ArrayList<>();
        Map<String, List<Double>> byCategory = new TreeMap<>();
        Map<String, List<Double>> byCapture = new TreeMap<>();
        Map<String, String> captureCategory = new TreeMap<>();
        for (int r = 0; r < rows.length; r++) {
            (labels[r] == 1 ? attack : benign).add(scores[r]);
            if (labels[r] == 1) {
                byCategory.computeIfAbsent(categories.get(r), c -> new ArrayList<>()).add(scores[r]);
            }
            byCapture.computeIfAbsent(groups.get(r), c -> new ArrayList<>()).add(scores[r]);
            captureCategory.put(groups.get(r), categories.get(r));
        }
        double[] benignScores = unbox(benign);
        Map<String, Object> perCategory = new LinkedHashMap<>();
        byCategory.forEach((category, list) -> {
            double[] s = unbox(list);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rows", s.length);
            m.put("auc", round(RocAuc.of(s, benignScores)));
            m.put("detected", round(share(s, threshold)));
            perCategory.put(category, m);
        });
        Map<String, Object> perCapture = new LinkedHashMap<>();
        byCapture.forEach((capture, list) -> {
            double[] s = unbox(list);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("category", captureCategory.get(capture));
            m.put("rows", s.length);
            m.put("overThreshold", round(share(s, threshold)));
            m.put("maxScore", round(java.util.Arrays.stream(s).max().orElse(Double.NaN)));
            perCapture.put(capture, m);
        });
        return new LeaveCapturesOut(scores, RocAuc.of(unbox(attack), benignScores), perCategory, perCapture, share(benignScores, threshold),
                share(unbox(attack), threshold));
    }

    /** For the descriptor's {@code training.metrics}: numbers rounded to 4 places. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("evaluation", "leave-one-capture-out: each capture scored by a booster trained on all the others; scores pooled");
        json.put("auc", round(auc));
        json.put("benignFlagged", round(benignFlaggedShare));
        json.put("attackDetected", round(attackDetectedShare));
        json.put("perCategory", perCategory);
        json.put("perCapture", perCapture);
        return json;
    }

    private static double share(double[] scores, double threshold) {
        return scores.length == 0 ? Double.NaN : (double) java.util.Arrays.stream(scores).filter(s -> s >= threshold).count() / scores.length;
    }

    private static double round(double value) {
        return Double.isFinite(value) ? Math.round(value * 10_000) / 10_000.0 : -1;
    }

    private static double[] unbox(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
