package io.amoskys.model.iforest;

/**
 * The average path length of an unsuccessful search in a binary search tree of {@code n} points,
 * {@code c(n)} in Liu, Ting and Zhou's Isolation Forest: what a leaf holding {@code n} training rows
 * adds to the depth at which a row stops, and what path lengths are normalised by.
 */
final class PathLength {
    private static final double EULER_GAMMA = 0.5772156649015329;

    private PathLength() {}

    static double average(long n) {
        if (n <= 1) {
            return 0;
        }
        if (n == 2) {
            return 1;
        }
        return 2 * (Math.log(n - 1) + EULER_GAMMA) - 2.0 * (n - 1) / n;
    }
}
