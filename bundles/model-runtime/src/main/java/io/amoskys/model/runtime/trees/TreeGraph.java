package io.amoskys.model.runtime.trees;

import io.amoskys.model.runtime.trees.GraphDef.AttributeDef;
import io.amoskys.model.runtime.trees.GraphDef.NodeDef;
import io.amoskys.model.runtime.trees.GraphDef.TensorDef;
import io.amoskys.model.runtime.trees.TreeEnsemble.Unsupported;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A model whose graph is one tree ensemble followed by element-wise steps with constants (the
 * Isolation Forest's {@code Neg} and {@code Pow(2, ·)}, the boosted trees' {@code Sigmoid}), scored
 * in Java. ONNX Runtime's fixed price per call is more than the work of scoring one row through a
 * hundred trees, and batched the Java walk ({@link TreeEnsemble}) costs a tenth to a quarter less
 * per row than ONNX Runtime's (ModelBenchmark, GbtBenchmark): the same number, cheaper. Immutable: calls run concurrently.
 */
public final class TreeGraph {
    /** The element-wise operators taken after the trees, each with its ONNX name. */
    private enum Op {
        NEG("Neg", false), SIGMOID("Sigmoid", false), IDENTITY("Identity", false),
        ADD("Add", true), SUB("Sub", true), MUL("Mul", true), DIV("Div", true), POW("Pow", true);

        final String onnx;
        /** Takes a second operand, which must be a scalar constant. */
        final boolean binary;

        Op(String onnx, boolean binary) {
            this.onnx = onnx;
            this.binary = binary;
        }

        static Op named(String onnx) {
            for (Op op : values()) {
                if (op.onnx.equals(onnx)) {
                    return op;
                }
            }
            return null;
        }
    }

    /** One element-wise step: {@code op(x)}, or {@code op(x, c)} / {@code op(c, x)} with the constant c. */
    private record Step(Op op, float constant, boolean constantFirst) {
        float apply(float x) {
            float a = constantFirst ? constant : x;
            float b = constantFirst ? x : constant;
            return switch (op) {
                case NEG -> -x;
                case SIGMOID -> (float) (1 / (1 + Math.exp(-x)));
                case IDENTITY -> x;
                case ADD -> a + b;
                case SUB -> a - b;
                case MUL -> a * b;
                case DIV -> a / b;
                case POW -> (float) Math.pow(a, b);
            };
        }
    }

    private final TreeEnsemble trees;
    private final Step[] steps;
    private final int width;

    private TreeGraph(TreeEnsemble trees, List<Step> steps, int width) {
        this.trees = trees;
        this.steps = steps.toArray(Step[]::new);
        this.width = width;
    }

    /** Why a model is not a {@link TreeGraph}, or the graph itself. */
    public record Compiled(TreeGraph graph, String unsupported) {}

    /**
     * @param onnx a model ONNX Runtime has opened
     * @param input its input, rows of {@code width} features ({@code [N, width]})
     * @param output its output, one value per row
     */
    public static Compiled compile(byte[] onnx, String input, String output, int width) {
        try {
            return new Compiled(of(GraphDef.read(onnx), input, output, width), null);
        } catch (Unsupported e) {
            return new Compiled(null, e.getMessage());
        } catch (IllegalArgumentException e) {
            return new Compiled(null, "unreadable: " + e.getMessage());
        }
    }

    private static TreeGraph of(GraphDef graph, String input, String output, int width) throws Unsupported {
        Map<String, Float> scalars = new HashMap<>();
        graph.constants().forEach((name, tensor) -> scalar(tensor).ifPresent(v -> scalars.put(name, v)));
        List<NodeDef> chain = new ArrayList<>();
        for (NodeDef node : graph.nodes()) {
            if (node.opType().equals("Constant") && node.domain().isEmpty() && node.outputs().size() == 1) {
                constantNode(node).ifPresent(v -> scalars.put(node.outputs().get(0), v));
            } else {
                chain.add(node);
            }
        }
        if (chain.isEmpty() || !graph.outputs().contains(output)) {
            throw new Unsupported("no computation to " + output);
        }
        NodeDef first = chain.get(0);
        if (!first.opType().equals("TreeEnsembleRegressor") || !first.domain().equals("ai.onnx.ml")
                || !first.inputs().equals(List.of(input)) || first.outputs().size() != 1) {
            throw new Unsupported("the graph does not begin with a TreeEnsembleRegressor of " + input + " (" + first.opType() + ")");
        }
        TreeEnsemble trees = TreeEnsemble.of(first, width);
        String current = first.outputs().get(0);
        List<Step> steps = new ArrayList<>();
        for (NodeDef node : chain.subList(1, chain.size())) {
            if (!node.domain().isEmpty() || node.outputs().size() != 1 || !node.attributes().isEmpty()) {
                throw new Unsupported("node " + node.opType() + " (" + node.domain() + ")");
            }
            steps.add(step(node, current, scalars));
            current = node.outputs().get(0);
        }
        if (!current.equals(output)) {
            throw new Unsupported("the steps end in " + current + ", not " + output);
        }
        return new TreeGraph(trees, steps, width);
    }

    private static Step step(NodeDef node, String current, Map<String, Float> scalars) throws Unsupported {
        List<String> in = node.inputs();
        Op op = Op.named(node.opType());
        if (op != null && !op.binary && in.equals(List.of(current))) {
            return new Step(op, 0, false);
        }
        if (op != null && op.binary && in.size() == 2) {
            if (in.get(0).equals(current) && scalars.containsKey(in.get(1))) {
                return new Step(op, scalars.get(in.get(1)), false);
            }
            if (in.get(1).equals(current) && scalars.containsKey(in.get(0))) {
                return new Step(op, scalars.get(in.get(0)), true);
            }
        }
        throw new Unsupported("node " + node.opType() + " of " + in + " after " + current);
    }

    /** A float32 tensor of one value (a scalar, [1] or [1, 1]): broadcasting it changes no shape. */
    private static Optional<Float> scalar(TensorDef tensor) {
        if (tensor == null || tensor.values() == null || tensor.values().length != 1 || tensor.dims().length > 2) {
            return Optional.empty();
        }
        return Optional.of(tensor.values()[0]);
    }

    private static Optional<Float> constantNode(NodeDef node) {
        if (node.attributes().size() != 1) {
            return Optional.empty();
        }
        AttributeDef value = node.attributes().values().iterator().next();
        return switch (value.name()) {
            case "value" -> scalar(value.tensor());
            case "value_float" -> Optional.of(value.f());
            default -> Optional.empty();
        };
    }

    /** @param rows {@code count} rows of the model's width, row after row; @return one value per row */
    public float[] score(float[] rows, int count) {
        float[] scores = new float[count];
        trees.score(rows, count, width, scores);
        for (Step step : steps) {
            for (int r = 0; r < count; r++) {
                scores[r] = step.apply(scores[r]);
            }
        }
        return scores;
    }

    /**
     * Rows to check this evaluation against ONNX Runtime's: each feature at one of its thresholds,
     * exactly or a float32 step to either side, so that the rows reach leaves all over the trees
     * and test every comparison where it decides (the first row is all zeros). Deterministic.
     */
    public float[] probeRows(int count) {
        float[][] thresholds = new float[width][];
        for (int f = 0; f < width; f++) {
            thresholds[f] = trees.thresholdsOf(f);
        }
        SplittableRandom random = new SplittableRandom(count);
        float[] rows = new float[count * width];
        for (int r = 1; r < count; r++) {
            for (int f = 0; f < width; f++) {
                float[] at = thresholds[f];
                float t = at.length == 0 ? (float) random.nextGaussian() : at[random.nextInt(at.length)];
                rows[r * width + f] = switch (random.nextInt(3)) {
                    case 0 -> Math.nextDown(t);
                    case 1 -> t;
                    default -> Math.nextUp(t);
                };
            }
        }
        return rows;
    }

    @Override
    public String toString() {
        return trees.treeCount() + " trees, " + trees.nodeCount() + " nodes, then " + steps.length + " element-wise step"
                + (steps.length == 1 ? "" : "s");
    }
}
