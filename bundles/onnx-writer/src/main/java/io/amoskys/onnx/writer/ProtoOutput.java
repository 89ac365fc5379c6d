package io.amoskys.onnx.writer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The protocol buffers wire format, just enough for ONNX: varints, fixed 32- and 64-bit numbers,
 * length-delimited bytes and nested messages. A nested message is encoded first, then written with
 * its length, which keeps the writer one pass per message and free of size pre-computation.
 */
final class ProtoOutput {
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    byte[] toByteArray() {
        return bytes.toByteArray();
    }

    /** An int32, int64 or enum field; negative numbers take ten bytes, as the format wants. */
    ProtoOutput int64(int field, long value) {
        tag(field, VARINT);
        varint(value);
        return this;
    }

    ProtoOutput float32(int field, float value) {
        tag(field, FIXED32);
        fixed32(Float.floatToRawIntBits(value));
        return this;
    }

    ProtoOutput string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    ProtoOutput bytes(int field, byte[] value) {
        tag(field, LENGTH_DELIMITED);
        varint(value.length);
        bytes.writeBytes(value);
        return this;
    }

    ProtoOutput message(int field, ProtoOutput nested) {
        return bytes(field, nested.toByteArray());
    }

    /** Skips an absent optional string, so that "not set" stays distinguishable from "". */
    ProtoOutput optionalString(int field, String value) {
        return value == null ? this : string(field, value);
    }

    /** A {@code [packed = true]} repeated float field (TensorProto.float_data). */
    ProtoOutput packedFloats(int field, float[] values) {
        ProtoOutput packed = new ProtoOutput();
        for (float value : values) {
            packed.fixed32(Float.floatToRawIntBits(value));
        }
        return message(field, packed);
    }

    /** A {@code [packed = true]} repeated double field (TensorProto.double_data). */
    ProtoOutput packedDoubles(int field, double[] values) {
        ProtoOutput packed = new ProtoOutput();
        for (double value : values) {
            packed.fixed64(Double.doubleToRawLongBits(value));
        }
        return message(field, packed);
    }

    /** A {@code [packed = true]} repeated int64 field (TensorProto.int64_data). */
    ProtoOutput packedInt64s(int field, long[] values) {
        ProtoOutput packed = new ProtoOutput();
        for (long value : values) {
            packed.varint(value);
        }
        return message(field, packed);
    }

    void varint(long value) {
        while ((value & ~0x7FL) != 0) {
            bytes.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        bytes.write((int) value);
    }

    private void tag(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    private void fixed32(int value) {
        for (int i = 0; i < 4; i++) {
            bytes.write(value >>> (8 * i));
        }
    }

    private void fixed64(long value) {
        for (int i = 0; i < 8; i++) {
            bytes.write((int) (value >>> (8 * i)));
        }
    }
}
