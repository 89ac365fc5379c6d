package io.amoskys.model.gbt;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.util.json.DeserializationException;
import org.apache.camel.util.json.Jsoner;

/**
 * The trees of an XGBoost {@code binary:logistic} booster, read from its JSON model
 * ({@code Booster.toByteArray("json")}): per tree the children, split feature, split value (the
 * leaf's value at a leaf) and default direction for a missing value, and the base score.
 *
 * <p>XGBoost goes left when {@code x < split} (float32), and to the default side when {@code x}
 * is missing (NaN); the margin is {@code logit(base_score) + sum of leaves}, since XGBoost 2 stores
 * {@code base_score} as a probability; the prediction is {@code sigmoid(margin)}.
 *
 * @param baseScore the stored base score, a probability
 * @param version XGBoost's version that wrote the model, {@code "3.4.0"}
 */
public record BoostedTrees(double baseScore, int featureCount, List<Tree> trees, String version) {

    /** One tree: node {@code n} is a leaf when {@code left[n] == -1}; its value is then {@code value[n]}. */
    public record Tree(int[] left, int[] right, int[] feature, float[] value, boolean[] defaultLeft) {
        public boolean isLeaf(int node) {
            return left[node] < 0;
        }

        public int size() {
            return left.length;
        }
    }

    public BoostedTrees {
        trees = List.copyOf(trees);
    }

    /** The base margin: {@code logit(baseScore)}. */
    public double baseMargin() {
        return Math.log(baseScore / (1 - baseScore));
    }

    /** Reads a {@code binary:logistic} gbtree model; anything else (other objectives, categorical splits, vector leaves) is refused. */
    public static BoostedTrees fromJson(byte[] json) {
        Map<?, ?> root;
        try {
            root = (Map<?, ?>) Jsoner.deserialize(new String(json, StandardCharsets.UTF_8));
        } catch (DeserializationException | ClassCastException e) {
            throw new IllegalArgumentException("not an XGBoost JSON model: " + e.getMessage(), e);
        }
        Map<?, ?> learner = map(root, "learner");
        String objective = (String) map(learner, "objective").get("name");
        if (!"binary:logistic".equals(objective)) {
            throw new IllegalArgumentException("only binary:logistic boosters are converted, not " + objective);
        }
        Map<?, ?> modelParam = map(learner, "learner_model_param");
        double baseScore = Double.parseDouble(((String) modelParam.get("base_score")).replace("[", "").replace("]", ""));
        int featureCount = Integer.parseInt((String) modelParam.get("num_feature"));
        Map<?, ?> booster = map(learner, "gradient_booster");
        if (!"gbtree".equals(booster.get("name"))) {
            throw new IllegalArgumentException("only gbtree boosters are converted, not " + booster.get("name"));
        }
        List<Tree> trees = new ArrayList<>();
        for (Object t : (List<?>) map(booster, "model").get("trees")) {
            Map<?, ?> tree = (Map<?, ?>) t;
            int[] left = ints(tree.get("left_children"));
            int[] right = ints(tree.get("right_children"));
            int[] feature = ints(tree.get("split_indices"));
            float[] value = floats(tree.get("split_conditions"));
            int[] splitType = ints(tree.get("split_type"));
            boolean[] defaultLeft = booleans(tree.get("default_left"));
            Map<?, ?> treeParam = map(tree, "tree_param");
            if (!"1".equals(treeParam.get("size_leaf_vector")) && !"0".equals(treeParam.get("size_leaf_vector"))) {
                throw new IllegalArgumentException("vector leaves are not converted");
            }
            for (int s : splitType) {
                if (s != 0) {
                    throw new IllegalArgumentException("categorical splits are not converted");
                }
            }
            trees.add(new Tree(left, right, feature, value, defaultLeft));
        }
        List<?> version = (List<?>) root.get("version");
        String versionText = version == null ? "unknown"
                : String.join(".", version.stream().map(v -> String.valueOf(((Number) v).intValue())).toList());
        return new BoostedTrees(baseScore, featureCount, trees, versionText);
    }

    private static Map<?, ?> map(Map<?, ?> parent, String key) {
        if (!(parent.get(key) instanceof Map<?, ?> child)) {
            throw new IllegalArgumentException("XGBoost JSON model without '" + key + "'");
        }
        return child;
    }

    private static int[] ints(Object list) {
        return ((List<?>) list).stream().mapToInt(v -> v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).intValue()).toArray();
    }

    private static boolean[] booleans(Object list) {
        int[] values = ints(list);
        boolean[] out = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] != 0;
        }
        return out;
    }

    private static float[] floats(Object list) {
        List<?> values = (List<?>) list;
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = values.get(i);
            // float32 printed shortest-round-trip: parsing the decimal text gives the stored float back
            out[i] = v instanceof BigDecimal d ? Float.parseFloat(d.toString()) : ((Number) v).floatValue();
        }
        return out;
    }
}
