package io.amoskys.onnx.writer;

import java.util.List;

/** A computation graph ({@code GraphProto}): nodes in topological order, constants, inputs and outputs. */
public record OnnxGraph(String name, List<OnnxNode> nodes, List<OnnxConstant> initializers, List<OnnxValueInfo> inputs,
        List<OnnxValueInfo> outputs) {

    public OnnxGraph {
        nodes = List.copyOf(nodes);
        initializers = List.copyOf(initializers);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        for (OnnxConstant initializer : initializers) {
            if (initializer.name() == null || initializer.name().isEmpty()) {
                throw new IllegalArgumentException("an initializer needs a name: " + initializer);
            }
        }
    }

    ProtoOutput encode() {
        ProtoOutput out = new ProtoOutput();
        nodes.forEach(node -> out.message(1, node.encode()));
        out.optionalString(2, name);
        initializers.forEach(initializer -> out.message(5, initializer.encode()));
        inputs.forEach(input -> out.message(11, input.encode()));
        outputs.forEach(output -> out.message(12, output.encode()));
        return out;
    }
}
