package io.amoskys.onnx.writer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** Wire bytes checked by hand against the protocol buffers encoding rules. */
class ProtoOutputTest {

    @Test
    void varintsUseSevenBitGroupsLeastSignificantFirst() {
        assertArrayEquals(bytes(0x08, 0x01), new ProtoOutput().int64(1, 1).toByteArray());
        assertArrayEquals(bytes(0x08, 0xAC, 0x02), new ProtoOutput().int64(1, 300).toByteArray());
        // negative int64: two's complement, always ten bytes
        assertArrayEquals(bytes(0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01),
                new ProtoOutput().int64(1, -1).toByteArray());
        // field 20 needs a two-byte tag: (20 << 3) | 0 = 160
        assertArrayEquals(bytes(0xA0, 0x01, 0x02), new ProtoOutput().int64(20, 2).toByteArray());
    }

    @Test
    void floatsAreFixed32LittleEndian() {
        // 1.5f = 0x3FC00000; field 2, wire type 5
        assertArrayEquals(bytes(0x15, 0x00, 0x00, 0xC0, 0x3F), new ProtoOutput().float32(2, 1.5f).toByteArray());
        assertArrayEquals(bytes(0x22, 0x08, 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x40),
                new ProtoOutput().packedFloats(4, new float[] {1f, 2f}).toByteArray());
    }

    @Test
    void stringsAndMessagesAreLengthDelimited() {
        assertArrayEquals(bytes(0x0A, 0x0A, 'a', 'i', '.', 'o', 'n', 'n', 'x', '.', 'm', 'l', 0x10, 0x03),
                OpsetId.onnxMl(3).encode().toByteArray());
        // packed int64 [1, 300]: one length-delimited field
        assertArrayEquals(bytes(0x3A, 0x03, 0x01, 0xAC, 0x02), new ProtoOutput().packedInt64s(7, new long[] {1, 300}).toByteArray());
    }

    @Test
    void attributesCarryTheirTypeDiscriminator() {
        // name "k" (field 1), i = 5 (field 3), type INT = 2 (field 20)
        assertArrayEquals(bytes(0x0A, 0x01, 'k', 0x18, 0x05, 0xA0, 0x01, 0x02), OnnxAttribute.i("k", 5).encode().toByteArray());
        // ints are not packed in onnx.proto: one field 8 per element, then type INTS = 7
        assertArrayEquals(bytes(0x0A, 0x01, 'k', 0x40, 0x01, 0x40, 0x02, 0xA0, 0x01, 0x07),
                OnnxAttribute.ints("k", 1, 2).encode().toByteArray());
    }

    @Test
    void symbolicDimensionsAreStrings() {
        assertArrayEquals(bytes(0x12, 0x01, 'N'), OnnxValueInfo.Dimension.param("N").encode().toByteArray());
        assertArrayEquals(bytes(0x08, 0x03), OnnxValueInfo.Dimension.of(3).encode().toByteArray());
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
