package io.amoskys.onnx.writer;

import java.util.Arrays;
import java.util.Objects;

/**
 * A constant tensor ({@code TensorProto}): an initializer of a graph or the value of a tensor
 * attribute. Values are row-major; the element count must match the dimensions.
 */
public final class OnnxConstant {
    private final String name;
    private final DataType type;
    private final long[] dims;
    private final float[] floats;
    private final long[] longs;
    private final double[] doubles;
    private final byte[] raw;

    private OnnxConstant(String name, DataType type, long[] dims, float[] floats, long[] longs, double[] doubles, byte[] raw) {
        this.name = name;
        this.type = Objects.requireNonNull(type, "type");
        this.dims = dims.clone();
        this.floats = floats;
        this.longs = longs;
        this.doubles = doubles;
        this.raw = raw;
    }

    /** Float values, stored in {@code float_data}. */
    public static OnnxConstant floats(String name, long[] dims, float... values) {
        checkCount(dims, values.length);
        return new OnnxConstant(name, DataType.FLOAT, dims, values.clone(), null, null, null);
    }

    /** 64-bit integers, stored in {@code int64_data}. */
    public static OnnxConstant int64s(String name, long[] dims, long... values) {
        checkCount(dims, values.length);
        return new OnnxConstant(name, DataType.INT64, dims, null, values.clone(), null, null);
    }

    /** Doubles, stored in {@code double_data}. */
    public static OnnxConstant doubles(String name, long[] dims, double... values) {
        checkCount(dims, values.length);
        return new OnnxConstant(name, DataType.DOUBLE, dims, null, null, values.clone(), null);
    }

    /** Any fixed-width type as little-endian bytes in {@code raw_data} (the format's rule for raw data). */
    public static OnnxConstant raw(String name, DataType type, long[] dims, byte[] littleEndian) {
        if (type == DataType.STRING) {
            throw new IllegalArgumentException("string tensors cannot be stored as raw data");
        }
        return new OnnxConstant(name, type, dims, null, null, null, littleEndian.clone());
    }

    /** A float scalar (no dimensions). */
    public static OnnxConstant scalar(String name, float value) {
        return floats(name, new long[0], value);
    }

    public String name() {
        return name;
    }

    public DataType type() {
        return type;
    }

    public long[] dims() {
        return dims.clone();
    }

    ProtoOutput encode() {
        ProtoOutput out = new ProtoOutput();
        for (long dim : dims) {
            out.int64(1, dim); // dims: repeated int64, not packed in onnx.proto
        }
        out.int64(2, type.code());
        if (floats != null && floats.length > 0) {
            out.packedFloats(4, floats);
        }
        if (longs != null && longs.length > 0) {
            out.packedInt64s(7, longs);
        }
        out.optionalString(8, name);
        if (raw != null) {
            out.bytes(9, raw);
        }
        if (doubles != null && doubles.length > 0) {
            out.packedDoubles(10, doubles);
        }
        return out;
    }

    private static void checkCount(long[] dims, int count) {
        long expected = 1;
        for (long dim : dims) {
            if (dim < 0) {
                throw new IllegalArgumentException("a constant tensor has no unknown dimensions: " + Arrays.toString(dims));
            }
            expected *= dim;
        }
        if (expected != count) {
            throw new IllegalArgumentException("dimensions " + Arrays.toString(dims) + " hold " + expected
                    + " values, not " + count);
        }
    }

    @Override
    public String toString() {
        return "OnnxConstant[" + name + " " + type + Arrays.toString(dims) + "]";
    }
}
