package io.amoskys.onnx.writer;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A named attribute of a node ({@code AttributeProto}), with its type discriminator set as the
 * format requires since IR version 2. The factory names are the proto's field names.
 */
public final class OnnxAttribute {
    // AttributeProto.AttributeType
    private static final int FLOAT = 1;
    private static final int INT = 2;
    private static final int STRING = 3;
    private static final int TENSOR = 4;
    private static final int FLOATS = 6;
    private static final int INTS = 7;
    private static final int STRINGS = 8;

    private final String name;
    private final int type;
    private final Object value;

    private OnnxAttribute(String name, int type, Object value) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("an attribute needs a name");
        }
        this.name = name;
        this.type = type;
        this.value = Objects.requireNonNull(value, name);
    }

    public static OnnxAttribute f(String name, float value) {
        return new OnnxAttribute(name, FLOAT, value);
    }

    public static OnnxAttribute i(String name, long value) {
        return new OnnxAttribute(name, INT, value);
    }

    public static OnnxAttribute s(String name, String value) {
        return new OnnxAttribute(name, STRING, value);
    }

    public static OnnxAttribute t(String name, OnnxConstant value) {
        return new OnnxAttribute(name, TENSOR, value);
    }

    public static OnnxAttribute floats(String name, float... values) {
        return new OnnxAttribute(name, FLOATS, values.clone());
    }

    public static OnnxAttribute ints(String name, long... values) {
        return new OnnxAttribute(name, INTS, values.clone());
    }

    public static OnnxAttribute strings(String name, List<String> values) {
        return new OnnxAttribute(name, STRINGS, List.copyOf(values));
    }

    public String name() {
        return name;
    }

    @SuppressWarnings("unchecked")
    ProtoOutput encode() {
        ProtoOutput out = new ProtoOutput().string(1, name);
        switch (type) {
            case FLOAT -> out.float32(2, (Float) value);
            case INT -> out.int64(3, (Long) value);
            case STRING -> out.string(4, (String) value);
            case TENSOR -> out.message(5, ((OnnxConstant) value).encode());
            // floats, ints and strings are not declared packed in onnx.proto: one field per element
            case FLOATS -> {
                for (float f : (float[]) value) {
                    out.float32(7, f);
                }
            }
            case INTS -> {
                for (long i : (long[]) value) {
                    out.int64(8, i);
                }
            }
            case STRINGS -> {
                for (String s : (List<String>) value) {
                    out.string(9, s);
                }
            }
            default -> throw new IllegalStateException("attribute type " + type);
        }
        return out.int64(20, type);
    }

    @Override
    public String toString() {
        String shown = value instanceof float[] f ? Arrays.toString(f) : value instanceof long[] l ? Arrays.toString(l) : value.toString();
        return name + "=" + (shown.length() > 60 ? shown.substring(0, 57) + "..." : shown);
    }
}
