package io.amoskys.feature.export.parquet;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Just enough of Apache Thrift's compact protocol to encode Parquet's page headers and file
 * metadata: structs, unions (a struct with one field set), lists, and i16/i32/i64/bool/binary
 * fields. Enums are i32. Fields are written as given; callers write them in ascending id order.
 *
 * <p>Encoding, per the compact protocol: a field header is one byte {@code delta << 4 | type} when
 * the id is 1..15 above the previous field's id in the same struct, else the type byte followed by
 * the id as a zigzag varint; integers are zigzag varints; binary is a varint length then the bytes;
 * a bool field carries its value in the type nibble; a struct ends with a 0 byte; a list header is
 * {@code size << 4 | elementType} for sizes below 15, else {@code 0xF0 | elementType} and a varint.
 */
final class CompactProtocol {
    static final int TYPE_BOOLEAN_TRUE = 1;
    static final int TYPE_BOOLEAN_FALSE = 2;
    static final int TYPE_I16 = 4;
    static final int TYPE_I32 = 5;
    static final int TYPE_I64 = 6;
    static final int TYPE_BINARY = 8;
    static final int TYPE_LIST = 9;
    static final int TYPE_STRUCT = 12;

    private byte[] buf = new byte[256];
    private int size;
    private int lastFieldId;
    private int[] savedFieldIds = new int[8];
    private int depth;

    /** Starts a struct that is not a field: the outermost one, or an element of a list. */
    CompactProtocol beginStruct() {
        if (depth == savedFieldIds.length) {
            savedFieldIds = Arrays.copyOf(savedFieldIds, depth * 2);
        }
        savedFieldIds[depth++] = lastFieldId;
        lastFieldId = 0;
        return this;
    }

    /** Starts a struct (or union) held in field {@code id} of the current struct. */
    CompactProtocol beginStruct(int id) {
        fieldHeader(id, TYPE_STRUCT);
        return beginStruct();
    }

    /** An empty struct in field {@code id}: how Parquet spells a union's chosen member with no data. */
    CompactProtocol emptyStruct(int id) {
        return beginStruct(id).endStruct();
    }

    CompactProtocol endStruct() {
        if (depth == 0) {
            throw new IllegalStateException("no struct to end");
        }
        writeByte(0);
        lastFieldId = savedFieldIds[--depth];
        return this;
    }

    CompactProtocol i16(int id, short value) {
        fieldHeader(id, TYPE_I16);
        writeVarint(zigzag(value));
        return this;
    }

    CompactProtocol i32(int id, int value) {
        fieldHeader(id, TYPE_I32);
        writeVarint(zigzag(value));
        return this;
    }

    CompactProtocol i64(int id, long value) {
        fieldHeader(id, TYPE_I64);
        writeVarint(zigzag(value));
        return this;
    }

    CompactProtocol bool(int id, boolean value) {
        fieldHeader(id, value ? TYPE_BOOLEAN_TRUE : TYPE_BOOLEAN_FALSE);
        return this;
    }

    CompactProtocol binary(int id, byte[] value) {
        fieldHeader(id, TYPE_BINARY);
        writeBinary(value);
        return this;
    }

    CompactProtocol string(int id, String value) {
        return binary(id, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A list field; the caller then writes exactly {@code count} elements of {@code elementType}. */
    CompactProtocol beginList(int id, int elementType, int count) {
        fieldHeader(id, TYPE_LIST);
        if (count < 15) {
            writeByte(count << 4 | elementType);
        } else {
            writeByte(0xF0 | elementType);
            writeVarint(count);
        }
        return this;
    }

    /** An i32 (or enum) element of a list. */
    CompactProtocol i32Element(int value) {
        writeVarint(zigzag(value));
        return this;
    }

    /** A string element of a list. */
    CompactProtocol stringElement(String value) {
        writeBinary(value.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        if (depth != 0) {
            throw new IllegalStateException(depth + " struct(s) not ended");
        }
        return Arrays.copyOf(buf, size);
    }

    private void fieldHeader(int id, int type) {
        int delta = id - lastFieldId;
        if (delta > 0 && delta <= 15) {
            writeByte(delta << 4 | type);
        } else {
            writeByte(type);
            writeVarint(zigzag((short) id));
        }
        lastFieldId = id;
    }

    private void writeBinary(byte[] value) {
        writeVarint(value.length);
        ensure(value.length);
        System.arraycopy(value, 0, buf, size, value.length);
        size += value.length;
    }

    private static long zigzag(long n) {
        return (n << 1) ^ (n >> 63);
    }

    private static long zigzag(int n) {
        return ((n << 1) ^ (n >> 31)) & 0xFFFF_FFFFL;
    }

    /** Unsigned LEB128. */
    private void writeVarint(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            buf[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buf[size++] = (byte) value;
    }

    private void writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    private void ensure(int more) {
        if (buf.length - size < more) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
