package io.amoskys.model.runtime.trees;

import java.nio.charset.StandardCharsets;

/**
 * Reads protocol buffers' wire format over a range of bytes: the few message shapes of an ONNX
 * model that the tree evaluator needs, nothing generated. Every length is checked against the
 * bytes left, so a malformed file ends in an {@link IllegalArgumentException}, never past the range.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] bytes;
    private int position;
    private final int end;
    private int tag;

    ProtoReader(byte[] bytes, int from, int to) {
        if (from < 0 || to > bytes.length || from > to) {
            throw new IllegalArgumentException("range " + from + ".." + to + " outside " + bytes.length + " bytes");
        }
        this.bytes = bytes;
        this.position = from;
        this.end = to;
    }

    /** Moves to the next field; @return false at the end of the message */
    boolean next() {
        if (position >= end) {
            return false;
        }
        long key = varint();
        tag = (int) key;
        if (key >>> 3 == 0 || key > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bad field key " + key + " at byte " + position);
        }
        return true;
    }

    int field() {
        return tag >>> 3;
    }

    int wireType() {
        return tag & 7;
    }

    long varint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= end) {
                throw new IllegalArgumentException("a varint runs past the end of its message");
            }
            byte b = bytes[position++];
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("a varint longer than 10 bytes");
    }

    float fixed32Float() {
        require(4);
        int bits = (bytes[position] & 0xff) | (bytes[position + 1] & 0xff) << 8 | (bytes[position + 2] & 0xff) << 16
                | (bytes[position + 3] & 0xff) << 24;
        position += 4;
        return Float.intBitsToFloat(bits);
    }

    /** The current field's bytes as a message of their own. */
    ProtoReader message() {
        int length = length();
        ProtoReader inner = new ProtoReader(bytes, position, position + length);
        position += length;
        return inner;
    }

    String string() {
        int length = length();
        String value = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    /** The current length-delimited field's bytes, copied. */
    byte[] bytesField() {
        int length = length();
        byte[] value = new byte[length];
        System.arraycopy(bytes, position, value, 0, length);
        position += length;
        return value;
    }

    /** Steps over the current field, whatever its wire type. */
    void skip() {
        switch (wireType()) {
            case VARINT -> varint();
            case FIXED64 -> advance(8);
            case LENGTH_DELIMITED -> advance(length());
            case FIXED32 -> advance(4);
            default -> throw new IllegalArgumentException("wire type " + wireType() + " (groups are not ONNX) in field " + field());
        }
    }

    boolean atEnd() {
        return position >= end;
    }

    private int length() {
        long length = varint();
        if (length < 0 || length > end - position) {
            throw new IllegalArgumentException("field " + field() + " claims " + length + " bytes; " + (end - position) + " are left");
        }
        return (int) length;
    }

    private void advance(int count) {
        require(count);
        position += count;
    }

    private void require(int count) {
        if (end - position < count) {
            throw new IllegalArgumentException("field " + field() + " needs " + count + " bytes; " + (end - position) + " are left");
        }
    }
}
