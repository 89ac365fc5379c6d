package io.amoskys.onnx.writer;

/** Element types of tensors, with their numbers in {@code TensorProto.DataType}. */
public enum DataType {
    FLOAT(1),
    UINT8(2),
    INT8(3),
    UINT16(4),
    INT16(5),
    INT32(6),
    INT64(7),
    STRING(8),
    BOOL(9),
    FLOAT16(10),
    DOUBLE(11),
    UINT32(12),
    UINT64(13);

    private final int code;

    DataType(int code) {
        this.code = code;
    }

    /** The number the format stores. */
    public int code() {
        return code;
    }
}
