package io.amoskys.model.iforest;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Grows one isolation tree from a sample of rows: at each node a feature is drawn at random among
 * those not constant in the node's rows, and a threshold uniformly between their least and largest
 * value; a node stops at the depth limit or when it holds one row (or only identical rows).
 *
 * <p>Values are float32 throughout, so that the model and its ONNX export split the same rows the
 * same way. A threshold is kept strictly above the node's least value, so both sides get rows.
 */
final class TreeGrower {
    private final float[][] rows;
    private final int maxDepth;
    private final SplittableRandom random;
    /** Features in the order of the draws: a partial shuffle is uniform from any starting order. */
    private final int[] featureOrder;

    private int[] feature;
    private float[] threshold;
    private int[] left;
    private int[] right;
    private double[] leafPathLength;
    private int count;

    TreeGrower(float[][] rows, int featureCount, int maxDepth, SplittableRandom random) {
        this.rows = rows;
        this.maxDepth = maxDepth;
        this.random = random;
        this.featureOrder = new int[featureCount];
        Arrays.setAll(featureOrder, i -> i);
    }

    /** @param sample row indices (rearranged in place) */
    IsolationTree grow(int[] sample) {
        int capacity = 2 * sample.length - 1; // a binary tree whose leaves each hold at least one row
        feature = new int[capacity];
        threshold = new float[capacity];
        left = new int[capacity];
        right = new int[capacity];
        leafPathLength = new double[capacity];
        count = 0;
        node(sample, 0, sample.length, 0);
        return new IsolationTree(Arrays.copyOf(feature, count), Arrays.copyOf(threshold, count), Arrays.copyOf(left, count),
                Arrays.copyOf(right, count), Arrays.copyOf(leafPathLength, count));
    }

    private int node(int[] sample, int from, int to, int depth) {
        int id = count++;
        int size = to - from;
        int splitFeature = size > 1 && depth < maxDepth ? drawVaryingFeature(sample, from, to) : IsolationTree.LEAF;
        if (splitFeature == IsolationTree.LEAF) {
            feature[id] = IsolationTree.LEAF;
            leafPathLength[id] = depth + PathLength.average(size);
            return id;
        }
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            float v = rows[sample[i]][splitFeature];
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float split = (float) (min + random.nextDouble() * ((double) max - min));
        if (!(split > min)) {
            split = Math.nextUp(min); // still <= max, since max > min
        }
        int middle = partition(sample, from, to, splitFeature, split);
        feature[id] = splitFeature;
        threshold[id] = split;
        left[id] = node(sample, from, middle, depth + 1);
        right[id] = node(sample, middle, to, depth + 1);
        return id;
    }

    /** A feature drawn uniformly among those whose values differ in the node's rows; LEAF when none does. */
    private int drawVaryingFeature(int[] sample, int from, int to) {
        for (int k = 0; k < featureOrder.length; k++) {
            int pick = k + random.nextInt(featureOrder.length - k);
            int f = featureOrder[pick];
            featureOrder[pick] = featureOrder[k];
            featureOrder[k] = f;
            float first = rows[sample[from]][f];
            for (int i = from + 1; i < to; i++) {
                if (rows[sample[i]][f] != first) {
                    return f;
                }
            }
        }
        return IsolationTree.LEAF;
    }

    /** Moves the rows below {@code split} to the front; returns where the others start. */
    private int partition(int[] sample, int from, int to, int f, float split) {
        int next = from;
        for (int i = from; i < to; i++) {
            if (rows[sample[i]][f] < split) {
                int t = sample[next];
                sample[next++] = sample[i];
                sample[i] = t;
            }
        }
        return next;
    }
}
