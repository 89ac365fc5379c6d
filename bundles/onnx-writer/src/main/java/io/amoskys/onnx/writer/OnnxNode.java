package io.amoskys.onnx.writer;

import java.util.List;

/**
 * One operator call ({@code NodeProto}). {@code domain} is empty (or null) for the default ONNX
 * operator set, {@code "ai.onnx.ml"} for the classical machine-learning operators.
 */
public record OnnxNode(String name, String opType, String domain, List<String> inputs, List<String> outputs,
        List<OnnxAttribute> attributes) {

    public OnnxNode {
        if (opType == null || opType.isEmpty()) {
            throw new IllegalArgumentException("a node needs an operator type");
        }
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = List.copyOf(attributes);
    }

    /** A node of the default operator set without attributes. */
    public static OnnxNode of(String name, String opType, List<String> inputs, List<String> outputs) {
        return new OnnxNode(name, opType, "", inputs, outputs, List.of());
    }

    ProtoOutput encode() {
        ProtoOutput out = new ProtoOutput();
        inputs.forEach(input -> out.string(1, input));
        outputs.forEach(output -> out.string(2, output));
        out.optionalString(3, name);
        out.string(4, opType);
        attributes.forEach(attribute -> out.message(5, attribute.encode()));
        if (domain != null && !domain.isEmpty()) {
            out.string(7, domain);
        }
        return out;
    }
}
