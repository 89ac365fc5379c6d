package io.amoskys.onnx.writer;

import java.util.List;
import java.util.Objects;

/**
 * A typed tensor input or output of a graph ({@code ValueInfoProto} with a tensor
 * {@code TypeProto}). A null shape leaves the rank unknown.
 */
public record OnnxValueInfo(String name, DataType elementType, List<Dimension> shape) {

    /** One dimension: a fixed size, or a named symbol such as the batch dimension {@code N}. */
    public record Dimension(long value, String param) {
        public static Dimension of(long value) {
            if (value < 0) {
                throw new IllegalArgumentException("a dimension's size cannot be negative: " + value);
            }
            return new Dimension(value, null);
        }

        public static Dimension param(String symbol) {
            if (symbol == null || symbol.isEmpty()) {
                throw new IllegalArgumentException("a symbolic dimension needs a name");
            }
            return new Dimension(-1, symbol);
        }

        ProtoOutput encode() {
            ProtoOutput out = new ProtoOutput();
            return param == null ? out.int64(1, value) : out.string(2, param);
        }
    }

    public OnnxValueInfo {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a graph input or output needs a name");
        }
        Objects.requireNonNull(elementType, "elementType");
        shape = shape == null ? null : List.copyOf(shape);
    }

    /** A tensor of the given dimensions. */
    public static OnnxValueInfo tensor(String name, DataType elementType, Dimension... shape) {
        return new OnnxValueInfo(name, elementType, List.of(shape));
    }

    ProtoOutput encode() {
        ProtoOutput tensorType = new ProtoOutput().int64(1, elementType.code());
        if (shape != null) {
            ProtoOutput shapeProto = new ProtoOutput();
            for (Dimension dim : shape) {
                shapeProto.message(1, dim.encode());
            }
            tensorType.message(2, shapeProto);
        }
        ProtoOutput type = new ProtoOutput().message(1, tensorType);
        return new ProtoOutput().string(1, name).message(2, type);
    }
}
