package io.amoskys.model.iforest;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An Isolation Forest (Liu, Ting and Zhou, 2008) trained in Java. A row's anomaly score is
 * {@code s = 2^(-E[h(x)] / c(psi))}: {@code E[h(x)]} is its mean path length over the trees and
 * {@code c(psi)} the average path length for the rows each tree was grown from. Scores lie in
 * (0, 1]; rows isolated quickly score high, near 1; ordinary rows score at or below about 0.5.
 *
 * <p>Training is deterministic: the same rows in the same order and the same seed give the same trees.
 */
public final class IsolationForest {
    private final List<IsolationTree> trees;
    private final int featureCount;
    private final int sampleSize;

    private IsolationForest(List<IsolationTree> trees, int featureCount, int sampleSize) {
        this.trees = List.copyOf(trees);
        this.featureCount = featureCount;
        this.sampleSize = sampleSize;
    }

    /**
     * @param rows training rows, all of one length, finite values (they are used as float32)
     */
    public static IsolationForest train(float[][] rows, IsolationForestParameters parameters) {
        if (rows.length < 2) {
            throw new IllegalArgumentException("an isolation forest needs at least 2 training rows, not " + rows.length);
        }
        int featureCount = rows[0].length;
        for (float[] row : rows) {
            if (row.length != featureCount) {
                throw new IllegalArgumentException("training rows differ in length: " + featureCount + " and " + row.length);
            }
        }
        int sampleSize = Math.min(parameters.sampleSize(), rows.length);
        SplittableRandom random = new SplittableRandom(parameters.seed());
        TreeGrower grower = new TreeGrower(rows, featureCount, IsolationForestParameters.maxDepth(sampleSize), random);
        int[] order = new int[rows.length];
        Arrays.setAll(order, i -> i);
        IsolationTree[] trees = new IsolationTree[parameters.trees()];
        for (int t = 0; t < trees.length; t++) {
            // a partial shuffle draws the tree's rows without replacement, uniformly from any current order
            for (int k = 0; k < sampleSize; k++) {
                int pick = k + random.nextInt(order.length - k);
                int row = order[pick];
                order[pick] = order[k];
                order[k] = row;
            }
            trees[t] = grower.grow(Arrays.copyOf(order, sampleSize));
        }
        return new IsolationForest(List.of(trees), featureCount, sampleSize);
    }

    /** The anomaly score in (0, 1]. */
    public double score(double[] row) {
        return Math.pow(2, -meanPathLength(row) / PathLength.average(sampleSize));
    }

    /** {@code E[h(x)]}: the row's path length averaged over the trees. */
    public double meanPathLength(double[] row) {
        if (row.length != featureCount) {
            throw new IllegalArgumentException("the forest takes " + featureCount + " features, not " + row.length);
        }
        double sum = 0;
        for (IsolationTree tree : trees) {
            sum += tree.pathLength(row);
        }
        return sum / trees.size();
    }

    public int featureCount() {
        return featureCount;
    }

    /** The rows each tree was grown from: the requested sample size, or fewer when training had fewer rows. */
    public int sampleSize() {
        return sampleSize;
    }

    public int treeCount() {
        return trees.size();
    }

    List<IsolationTree> trees() {
        return trees;
    }
}
