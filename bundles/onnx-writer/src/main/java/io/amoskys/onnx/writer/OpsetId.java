package io.amoskys.onnx.writer;

/** An operator set a model imports ({@code OperatorSetIdProto}); nodes bind to its highest version. */
public record OpsetId(String domain, long version) {
    /** The domain of the classical machine-learning operators (tree ensembles, ...). */
    public static final String ML_DOMAIN = "ai.onnx.ml";

    public OpsetId {
        domain = domain == null ? "" : domain;
        if (version < 1) {
            throw new IllegalArgumentException("operator set versions start at 1: " + version);
        }
    }

    /** The default ONNX operator set. */
    public static OpsetId onnx(long version) {
        return new OpsetId("", version);
    }

    public static OpsetId onnxMl(long version) {
        return new OpsetId(ML_DOMAIN, version);
    }

    ProtoOutput encode() {
        return new ProtoOutput().string(1, domain).int64(2, version);
    }
}
