package io.amoskys.junction.fit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Fits the junction's weights and bias on labelled observations: logistic regression of "is an
 * attack" on each detector's margin (score minus its threshold; 0 where it did not score), by
 * Newton's method (iteratively reweighted least squares) with a small L2 penalty on the weights
 * so that a detector that separates the data perfectly gets a large but finite weight. Weights
 * are kept at least 0: a detector whose high scores meant "benign" would be broken, not
 * informative, and is left out (weight 0) instead. Classes are balanced by weighting each
 * row by the inverse of its class's size, so a replay with few benign flows does not buy a
 * bias that flags everything. Small: one row per observation, one column per detector.
 */
public final class WeightFitter {
    private static final int MAX_ITERATIONS = 100;
    private static final double TOLERANCE = 1e-9;

    /** One labelled observation: each detector's margin, and whether it was an attack. */
    public record Row(Map<String, Double> margins, boolean attack) {}

    /** The fitted weights (by detector), bias, and the balanced log-loss they reach. */
    public record Fit(Map<String, Double> weights, double bias, double logLoss, int rows, int iterations) {
        /** The junction's {@code weights} setting. */
        public String weightsSetting() {
            StringBuilder out = new StringBuilder();
            weights.forEach((d, w) -> out.append(out.length() == 0 ? "" : ",").append(d).append('=').append(String.format(java.util.Locale.ROOT, "%.4f", w)));
            return out.toString();
        }
    }

    private final double l2;

    /** @param l2 the penalty on the squared weights (not the bias), per balanced row; e.g. 1e-3 */
    public WeightFitter(double l2) {
        if (!(l2 >= 0)) {
            throw new IllegalArgumentException("l2 must be >= 0, was " + l2);
        }
        this.l2 = l2;
    }

    public Fit fit(List<Row> rows) {
        long attacks = rows.stream().filter(Row::attack).count();
        if (attacks == 0 || attacks == rows.size()) {
            throw new IllegalArgumentException("need attack and benign observations to fit, got " + attacks + " attacks of " + rows.size());
        }
        List<String> detectors = new ArrayList<>(new TreeSet<>(rows.stream().flatMap(r -> r.margins().keySet().stream()).toList()));
        int k = detectors.size() + 1; // the bias is the last column
        double[][] x = new double[rows.size()][k];
        double[] y = new double[rows.size()];
        double[] rowWeight = new double[rows.size()];
        double attackWeight = 0.5 / attacks;
        double benignWeight = 0.5 / (rows.size() - attacks);
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            for (int d = 0; d < detectors.size(); d++) {
                x[i][d] = r.margins().getOrDefault(detectors.get(d), 0.0);
            }
            x[i][k - 1] = 1;
            y[i] = r.attack() ? 1 : 0;
            rowWeight[i] = r.attack() ? attackWeight : benignWeight;
        }
        boolean[] free = new boolean[k];
        java.util.Arrays.fill(free, true);
        double[] beta = new double[k];
        int iterations = 0;
        // Newton steps; a weight that goes negative is fixed at 0 and the fit repeated without it.
        for (boolean changed = true; changed; ) {
            changed = false;
            iterations += newton(x, y, rowWeight, beta, free);
            for (int d = 0; d < k - 1; d++) {
                if (free[d] && beta[d] < 0) {
                    free[d] = false;
                    beta[d] = 0;
                    changed = true;
                }
            }
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        for (int d = 0; d < detectors.size(); d++) {
            weights.put(detectors.get(d), beta[d]);
        }
        return new Fit(weights, beta[k - 1], logLoss(x, y, rowWeight, beta), rows.size(), iterations);
    }

    private int newton(double[][] x, double[] y, double[] rowWeight, double[] beta, boolean[] free) {
        int k = beta.length;
        for (int it = 1; it <= MAX_ITERATIONS; it++) {
            double[] gradient = new double[k];
            double[][] hessian = new double[k][k];
            for (int i = 0; i < x.length; i++) {
                double p = sigmoid(dot(x[i], beta));
                double w = rowWeight[i];
                for (int a = 0; a < k; a++) {
                    gradient[a] += w * (p - y[i]) * x[i][a];
                    for (int b = 0; b < k; b++) {
                        hessian[a][b] += w * p * (1 - p) * x[i][a] * x[i][b];
                    }
                }
            }
            for (int a = 0; a < k - 1; a++) {
                gradient[a] += l2 * beta[a];
                hessian[a][a] += l2;
            }
            for (int a = 0; a < k; a++) { // fixed weights stay where they are
                if (!free[a]) {
                    gradient[a] = 0;
                    java.util.Arrays.fill(hessian[a], 0);
                    for (double[] row : hessian) {
                        row[a] = 0;
                    }
                    hessian[a][a] = 1;
                }
            }
            hessian[k - 1][k - 1] += 1e-12; // keeps the system solvable when a column is all zero
            double[] step = solve(hessian, gradient);
            double largest = 0;
            for (int a = 0; a < k; a++) {
                beta[a] -= step[a];
                largest = Math.max(largest, Math.abs(step[a]));
            }
            if (largest < TOLERANCE) {
                return it;
            }
        }
        return MAX_ITERATIONS;
    }

    private static double logLoss(double[][] x, double[] y, double[] rowWeight, double[] beta) {
        double loss = 0;
        for (int i = 0; i < x.length; i++) {
            double p = Math.min(1 - 1e-15, Math.max(1e-15, sigmoid(dot(x[i], beta))));
            loss -= rowWeight[i] * (y[i] == 1 ? Math.log(p) : Math.log(1 - p));
        }
        return loss;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** Gaussian elimination with partial pivoting on a copy: k is the number of detectors plus one. */
    private static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][n + 1];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n] = b[i];
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            double[] swap = m[col];
            m[col] = m[pivot];
            m[pivot] = swap;
            if (Math.abs(m[col][col]) < 1e-300) {
                throw new IllegalStateException("the observations do not determine the weights (a singular system)");
            }
            for (int r = col + 1; r < n; r++) {
                double f = m[r][col] / m[col][col];
                for (int c = col; c <= n; c++) {
                    m[r][c] -= f * m[col][c];
                }
            }
        }
        double[] out = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = m[r][n];
            for (int c = r + 1; c < n; c++) {
                s -= m[r][c] * out[c];
            }
            out[r] = s / m[r][r];
        }
        return out;
    }
}
