package io.amoskys.model.runtime.trees;

import io.amoskys.model.runtime.trees.GraphDef.AttributeDef;
import io.amoskys.model.runtime.trees.GraphDef.NodeDef;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX-ML {@code TreeEnsembleRegressor} of one target, laid out in flat arrays to score rows in
 * Java as ONNX Runtime does: float32 inputs against float32 thresholds, each tree's leaf value
 * added in float32 in the order of the trees, then the average if asked and the base value. A
 * tree's root is the first of its nodes, as ONNX Runtime takes it. Post transforms are left to ONNX
 * Runtime: for one target it applies PROBIT and ignores LOGISTIC (1.23), not what the operator says.
 *
 * <p>When every split is {@code BRANCH_LT} (what the platform's exporters write), calls of a few
 * rows or more walk each tree in lock step, a block of rows at a time: every row takes one step per
 * level, as many as the tree is deep, a leaf stepping to itself, so that the rows' walks overlap in
 * the processor and no branch depends on the data. A single row has nothing to overlap with and
 * would pay for the deepest path in every tree: it walks node by node and stops at its leaf. A
 * row's leaf values are added in the order of the trees either way.
 */
final class TreeEnsemble {
    private static final byte LT = 0;
    private static final byte LEQ = 1;
    private static final byte GT = 2;
    private static final byte GTE = 3;
    private static final byte EQ = 4;
    private static final byte NEQ = 5;
    private static final List<String> MODES = List.of("BRANCH_LT", "BRANCH_LEQ", "BRANCH_GT", "BRANCH_GTE", "BRANCH_EQ", "BRANCH_NEQ");
    private static final int LEAF = -1;
    /** Rows in a block: few enough that the block's rows stay in the first-level cache while each tree is walked. */
    private static final int BLOCK = 64;
    /** From this many rows a call walks in lock step (ModelBenchmark: a single row walks 1.4 times faster alone). */
    private static final int LOCK_STEP_ROWS = 4;
    private static final Set<String> KNOWN = Set.of("n_targets", "aggregate_function", "post_transform", "base_values",
            "nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_values", "nodes_modes", "nodes_truenodeids",
            "nodes_falsenodeids", "nodes_missing_value_tracks_true", "nodes_hitrates", "target_treeids", "target_nodeids",
            "target_ids", "target_weights");

    /** Per node, depth first from each root: the feature it splits on, or {@link #LEAF}. */
    private final int[] feature;
    /** A split's threshold, or a leaf's value. */
    private final float[] value;
    private final byte[] mode;
    private final boolean[] missingGoesTrue;
    private final int[] whenTrue;
    private final int[] whenFalse;
    private final int[] roots;
    /** Per tree: the most steps from its root to a leaf. */
    private final int[] depth;
    /**
     * The nodes for walking in lock step, four ints each, so that a step reads one cache line:
     * the feature (0 for a leaf), the threshold's or leaf value's float bits, and the positions here
     * of the true and false children (a leaf's are its own: a step from a leaf stays there).
     */
    private final int[] packed;
    /** Every split is BRANCH_LT and no missing value goes to the true branch: the common case, one comparison. */
    private final boolean lessThanOnly;
    private final boolean average;
    private final float base;

    private TreeEnsemble(Layout layout, boolean average, float base) {
        this.feature = layout.feature;
        this.value = layout.value;
        this.mode = layout.mode;
        this.missingGoesTrue = layout.missingGoesTrue;
        this.whenTrue = layout.whenTrue;
        this.whenFalse = layout.whenFalse;
        this.roots = layout.roots;
        this.depth = layout.depth;
        this.packed = new int[feature.length * 4];
        for (int n = 0; n < feature.length; n++) {
            packed[4 * n] = Math.max(feature[n], 0);
            packed[4 * n + 1] = Float.floatToRawIntBits(value[n]);
            packed[4 * n + 2] = 4 * whenTrue[n];
            packed[4 * n + 3] = 4 * whenFalse[n];
        }
        this.average = average;
        this.base = base;
        boolean lt = true;
        for (int n = 0; n < feature.length; n++) {
            lt &= feature[n] == LEAF || (mode[n] == LT && !missingGoesTrue[n]);
        }
        this.lessThanOnly = lt;
    }

    /** The values of {@code count} rows of {@code width} features, row after row, into {@code out}. */
    void score(float[] rows, int count, int width, float[] out) {
        if (!lessThanOnly || count < LOCK_STEP_ROWS) {
            for (int r = 0; r < count; r++) {
                out[r] = finish(walk(rows, r * width));
            }
            return;
        }
        int[] at = new int[Math.min(count, BLOCK)];
        for (int from = 0; from < count; from += BLOCK) {
            int size = Math.min(BLOCK, count - from);
            lockStep(rows, from * width, size, width, at, out, from);
        }
        for (int r = 0; r < count; r++) {
            out[r] = finish(out[r]);
        }
    }

    /** The sums of the leaf values of {@code size} rows from {@code offset} into {@code sums} from {@code into}. */
    private void lockStep(float[] rows, int offset, int size, int width, int[] at, float[] sums, int into) {
        Arrays.fill(sums, into, into + size, 0f);
        for (int t = 0; t < roots.length; t++) {
            Arrays.fill(at, 0, size, 4 * roots[t]);
            for (int level = depth[t]; level > 0; level--) {
                for (int i = 0, row = offset; i < size; i++, row += width) {
                    int n = at[i];
                    at[i] = rows[row + packed[n]] < Float.intBitsToFloat(packed[n + 1]) ? packed[n + 2] : packed[n + 3];
                }
            }
            for (int i = 0; i < size; i++) {
                sums[into + i] += Float.intBitsToFloat(packed[at[i] + 1]);
            }
        }
    }

    /** One row through every tree, a node at a time, for any branch mode: the sum of its leaves' values. */
    private float walk(float[] rows, int offset) {
        float sum = 0;
        for (int root : roots) {
            int n = root;
            if (lessThanOnly) {
                while (feature[n] != LEAF) {
                    n = rows[offset + feature[n]] < value[n] ? whenTrue[n] : whenFalse[n];
                }
            } else {
                while (feature[n] != LEAF) {
                    n = goesTrue(n, rows[offset + feature[n]]) ? whenTrue[n] : whenFalse[n];
                }
            }
            sum += value[n];
        }
        return sum;
    }

    private float finish(float sum) {
        return (average ? sum / roots.length : sum) + base;
    }

    private boolean goesTrue(int n, float x) {
        if (missingGoesTrue[n] && Float.isNaN(x)) {
            return true;
        }
        float t = value[n];
        return switch (mode[n]) {
            case LT -> x < t;
            case LEQ -> x <= t;
            case GT -> x > t;
            case GTE -> x >= t;
            case EQ -> x == t;
            default -> x != t;
        };
    }

    /** The thresholds feature {@code f} is split at, for rows that probe both sides of the splits. */
    float[] thresholdsOf(int f) {
        int count = 0;
        float[] found = new float[feature.length];
        for (int n = 0; n < feature.length; n++) {
            if (feature[n] == f) {
                found[count++] = value[n];
            }
        }
        return Arrays.copyOf(found, count);
    }

    int nodeCount() {
        return feature.length;
    }

    int treeCount() {
        return roots.length;
    }

    /**
     * @param features the row width the model is fed
     * @throws Unsupported when the node uses what this evaluator does not do as ONNX Runtime does
     */
    static TreeEnsemble of(NodeDef node, int features) throws Unsupported {
        Map<String, AttributeDef> a = node.attributes();
        for (AttributeDef attribute : a.values()) {
            if (!KNOWN.contains(attribute.name()) || attribute.reference()) {
                throw new Unsupported("attribute " + attribute.name() + " of " + node.opType());
            }
        }
        if (intOf(a, "n_targets", 1) != 1) {
            throw new Unsupported("n_targets " + intOf(a, "n_targets", 1) + " (one target is evaluated in Java)");
        }
        String aggregate = stringOf(a, "aggregate_function", "SUM");
        String post = stringOf(a, "post_transform", "NONE");
        if (!aggregate.equals("SUM") && !aggregate.equals("AVERAGE")) {
            throw new Unsupported("aggregate_function " + aggregate);
        }
        if (!post.equals("NONE")) {
            throw new Unsupported("post_transform " + post);
        }
        float[] bases = floatsOf(a, "base_values");
        if (bases.length > 1) {
            throw new Unsupported(bases.length + " base_values for one target");
        }
        Layout layout = new Layout(a, features);
        return new TreeEnsemble(layout, aggregate.equals("AVERAGE"), bases.length == 1 ? bases[0] : 0f);
    }

    /** The attribute arrays of the node in their order, checked, and laid out depth first. */
    private static final class Layout {
        int[] feature;
        float[] value;
        byte[] mode;
        boolean[] missingGoesTrue;
        int[] whenTrue;
        int[] whenFalse;
        int[] roots;
        int[] depth;

        Layout(Map<String, AttributeDef> a, int features) throws Unsupported {
            long[] trees = intsOf(a, "nodes_treeids");
            long[] ids = intsOf(a, "nodes_nodeids");
            long[] featureIds = intsOf(a, "nodes_featureids");
            float[] thresholds = floatsOf(a, "nodes_values");
            List<String> modes = a.containsKey("nodes_modes") ? a.get("nodes_modes").strings() : List.of();
            long[] trueIds = intsOf(a, "nodes_truenodeids");
            long[] falseIds = intsOf(a, "nodes_falsenodeids");
            long[] missing = intsOf(a, "nodes_missing_value_tracks_true");
            int n = trees.length;
            if (n == 0 || ids.length != n || featureIds.length != n || thresholds.length != n || modes.size() != n
                    || trueIds.length != n || falseIds.length != n || (missing.length != 0 && missing.length != n)) {
                throw new Unsupported("node attributes of different lengths");
            }
            Map<Long, Integer> index = new HashMap<>();
            ArrayDeque<Integer> rootList = new ArrayDeque<>();
            for (int i = 0; i < n; i++) {
                if (index.put(key(trees[i], ids[i]), i) != null) {
                    throw new Unsupported("node " + ids[i] + " of tree " + trees[i] + " twice");
                }
                if (i == 0 || trees[i] != trees[i - 1]) {
                    rootList.add(i);
                }
            }
            if (rootList.stream().map(i -> trees[i]).distinct().count() != rootList.size()) {
                throw new Unsupported("a tree's nodes are not together");
            }
            float[] leafWeight = leafWeights(a, index, modes);
            feature = new int[n];
            value = new float[n];
            mode = new byte[n];
            missingGoesTrue = new boolean[n];
            whenTrue = new int[n];
            whenFalse = new int[n];
            roots = new int[rootList.size()];
            depth = new int[rootList.size()];
            int[] placed = new int[n];
            int[] level = new int[n];
            Arrays.fill(placed, -1);
            int next = 0;
            int r = 0;
            ArrayDeque<Integer> stack = new ArrayDeque<>();
            for (int root : rootList) {
                roots[r] = next;
                placed[root] = next++;
                stack.push(root);
                while (!stack.isEmpty()) {
                    int i = stack.pop();
                    int at = placed[i];
                    String m = modes.get(i);
                    if (m.equals("LEAF")) {
                        feature[at] = LEAF;
                        value[at] = leafWeight[i];
                        whenTrue[at] = at;
                        whenFalse[at] = at;
                        depth[r] = Math.max(depth[r], level[i]);
                        continue;
                    }
                    int modeIndex = MODES.indexOf(m);
                    if (modeIndex < 0) {
                        throw new Unsupported("node mode " + m);
                    }
                    if (featureIds[i] < 0 || featureIds[i] >= features) {
                        throw new Unsupported("feature " + featureIds[i] + " of a model fed " + features);
                    }
                    feature[at] = (int) featureIds[i];
                    value[at] = thresholds[i];
                    mode[at] = (byte) modeIndex;
                    missingGoesTrue[at] = missing.length != 0 && missing[i] != 0;
                    int t = child(index, trees[i], trueIds[i]);
                    int f = child(index, trees[i], falseIds[i]);
                    for (int c : new int[] {t, f}) {
                        if (placed[c] >= 0) {
                            throw new Unsupported("node " + ids[c] + " of tree " + trees[i] + " is reached twice");
                        }
                        placed[c] = next++;
                        level[c] = level[i] + 1;
                        stack.push(c);
                    }
                    whenTrue[at] = placed[t];
                    whenFalse[at] = placed[f];
                }
                r++;
            }
            if (next < n) { // nodes no root reaches: ONNX Runtime ignores them too
                feature = Arrays.copyOf(feature, next);
                value = Arrays.copyOf(value, next);
                mode = Arrays.copyOf(mode, next);
                missingGoesTrue = Arrays.copyOf(missingGoesTrue, next);
                whenTrue = Arrays.copyOf(whenTrue, next);
                whenFalse = Arrays.copyOf(whenFalse, next);
            }
        }

        private static float[] leafWeights(Map<String, AttributeDef> a, Map<Long, Integer> index, List<String> modes)
                throws Unsupported {
            long[] trees = intsOf(a, "target_treeids");
            long[] nodes = intsOf(a, "target_nodeids");
            long[] targets = intsOf(a, "target_ids");
            float[] weights = floatsOf(a, "target_weights");
            if (nodes.length != trees.length || targets.length != trees.length || weights.length != trees.length) {
                throw new Unsupported("target attributes of different lengths");
            }
            float[] leafWeight = new float[modes.size()];
            for (int k = 0; k < trees.length; k++) {
                Integer i = index.get(key(trees[k], nodes[k]));
                if (i == null || !modes.get(i).equals("LEAF") || targets[k] != 0) {
                    throw new Unsupported("target " + k + " is not a leaf of target 0");
                }
                leafWeight[i] += weights[k];
            }
            return leafWeight;
        }

        private static int child(Map<Long, Integer> index, long tree, long id) throws Unsupported {
            Integer i = index.get(key(tree, id));
            if (i == null) {
                throw new Unsupported("tree " + tree + " has no node " + id);
            }
            return i;
        }

        private static long key(long tree, long node) throws Unsupported {
            if (tree < 0 || tree > Integer.MAX_VALUE || node < 0 || node > Integer.MAX_VALUE) {
                throw new Unsupported("node " + node + " of tree " + tree);
            }
            return tree << 32 | node;
        }
    }

    private static long intOf(Map<String, AttributeDef> a, String name, long otherwise) {
        return a.containsKey(name) ? a.get(name).i() : otherwise;
    }

    private static String stringOf(Map<String, AttributeDef> a, String name, String otherwise) {
        return a.containsKey(name) && a.get(name).s() != null ? a.get(name).s() : otherwise;
    }

    private static long[] intsOf(Map<String, AttributeDef> a, String name) {
        return a.containsKey(name) ? a.get(name).ints() : new long[0];
    }

    private static float[] floatsOf(Map<String, AttributeDef> a, String name) {
        return a.containsKey(name) ? a.get(name).floats() : new float[0];
    }

    /** The graph does something the Java evaluator does not: ONNX Runtime scores it. */
    static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported(String what) {
            super(what, null, false, false);
        }
    }
}
