package io.amoskys.model.iforest;

import java.util.SplittableRandom;

/** Gaussian rows, and anomalies planted among them: a few features pushed 5 to 8 deviations out. */
final class SyntheticData {
    private SyntheticData() {}

    static double[][] normal(int rows, int features, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] data = new double[rows][features];
        for (double[] row : data) {
            for (int f = 0; f < features; f++) {
                row[f] = random.nextGaussian() * (1 + f % 3) + f; // columns of different scales and centres
            }
        }
        return data;
    }

    static double[][] anomalies(int rows, int features, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] data = normal(rows, features, seed + 1);
        for (double[] row : data) {
            for (int k = 0; k < 2; k++) {
                int f = random.nextInt(features);
                row[f] = f + (random.nextBoolean() ? 1 : -1) * (5 + 3 * random.nextDouble()) * (1 + f % 3);
            }
        }
        return data;
    }

    static float[][] floats(double[][] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = new float[rows[i].length];
            for (int j = 0; j < rows[i].length; j++) {
                out[i][j] = (float) rows[i][j];
            }
        }
        return out;
    }

    static double[][] concat(double[][] a, double[][] b) {
        double[][] out = new double[a.length + b.length][];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
