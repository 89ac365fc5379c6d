package io.amoskys.model.iforest;

/**
 * One isolation tree as flat arrays, nodes numbered in pre-order from the root (0), which is also
 * the numbering its ONNX export uses. A split sends a row left when its value, cast to float32,
 * is strictly below the float32 threshold: exactly ONNX's {@code BRANCH_LT} on a float tensor.
 */
final class IsolationTree {
    static final int LEAF = -1;

    /** The feature a node splits on, or {@link #LEAF}. */
    final int[] feature;
    final float[] threshold;
    final int[] left;
    final int[] right;
    /** At a leaf: its depth plus {@code c(rows that reached it in training)}. */
    final double[] leafPathLength;

    IsolationTree(int[] feature, float[] threshold, int[] left, int[] right, double[] leafPathLength) {
        this.feature = feature;
        this.threshold = threshold;
        this.left = left;
        this.right = right;
        this.leafPathLength = leafPathLength;
    }

    /** The path length {@code h(x)} of the row, with the correction for the rows left unsplit at its leaf. */
    double pathLength(double[] row) {
        int node = 0;
        while (feature[node] != LEAF) {
            node = (float) row[feature[node]] < threshold[node] ? left[node] : right[node];
        }
        return leafPathLength[node];
    }

    int nodeCount() {
        return feature.length;
    }
}
