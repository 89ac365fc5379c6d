package io.amoskys.model.gbt;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import java.util.Map;

/** xgboost4j calls: dense float32 rows in, NaN as the missing value. */
public final class Xgb {
    private Xgb() {}

    /** {@code benign rows / attack rows} when classes are balanced, else 1. */
    static double scalePosWeight(int[] labels, GbtParameters parameters) {
        long attacks = java.util.Arrays.stream(labels).filter(l -> l == 1).count();
        long benign = labels.length - attacks;
        if (attacks == 0 || benign == 0) {
            throw new IllegalArgumentException("training needs rows of both classes: " + benign + " benign, " + attacks + " attack");
        }
        return parameters.balanceClasses() ? (double) benign / attacks : 1.0;
    }

    /** Trains a booster on the rows; the caller disposes it. */
    public static Booster fit(float[][] rows, int[] labels, GbtParameters parameters) {
        double scalePosWeight = scalePosWeight(labels, parameters);
        DMatrix matrix = matrix(rows);
        try {
            float[] y = new float[labels.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = labels[i];
            }
            matrix.setLabel(y);
            return XGBoost.train(matrix, parameters.xgboost(scalePosWeight), parameters.rounds(), Map.of(), null, null);
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost: " + e.getMessage(), e);
        } finally {
            matrix.dispose();
        }
    }

    /** {@code booster.predict}: the attack probability of each row. */
    public static float[] predict(Booster booster, float[][] rows) {
        if (rows.length == 0) {
            return new float[0];
        }
        DMatrix matrix = matrix(rows);
        try {
            float[][] predictions = booster.predict(matrix);
            float[] out = new float[predictions.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = predictions[i][0];
            }
            return out;
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost: " + e.getMessage(), e);
        } finally {
            matrix.dispose();
        }
    }

    /** The booster's JSON model. */
    public static byte[] json(Booster booster) {
        try {
            return booster.toByteArray("json");
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost: " + e.getMessage(), e);
        }
    }

    private static DMatrix matrix(float[][] rows) {
        int columns = rows[0].length;
        float[] flat = new float[rows.length * columns];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * columns, columns);
        }
        try {
            return new DMatrix(flat, rows.length, columns, Float.NaN);
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost: " + e.getMessage(), e);
        }
    }
}
