package io.amoskys.model.format;

/** Why the model runtime refuses a model; the codes appear in the log, the shell and the metrics. */
public enum RefusalReason {
    /** The descriptor has no {@code .sig} beside it. */
    UNSIGNED("unsigned"),
    /** The signing key is not in the model trust store. */
    UNTRUSTED_KEY("untrusted-key"),
    /** The signature does not verify over the descriptor, or the {@code .sig} is malformed. */
    BAD_SIGNATURE("bad-signature"),
    /** The ONNX file's SHA-256 differs from the descriptor's {@code onnxSha256}. */
    ONNX_HASH_MISMATCH("onnx-hash-mismatch"),
    /** A file is missing or does not parse, or ONNX Runtime cannot open the model. */
    CORRUPT("corrupt"),
    /** The model's tensors do not match the descriptor's input, output and features. */
    WRONG_SHAPE("wrong-shape"),
    /** A file of the model is larger than the runtime reads (descriptor 1 MiB, signature 4 KiB, ONNX 64 MiB). */
    TOO_LARGE("too-large"),
    /** The bundle carries code (classes, an activator, components): the signature covers only the model, not code. */
    CARRIES_CODE("carries-code"),
    /** Another bundle already serves this name and version. */
    DUPLICATE_VERSION("duplicate-version");

    private final String code;

    RefusalReason(String code) {
        this.code = code;
    }

    /** The reason as operators see it ({@code untrusted-key}). */
    public String code() {
        return code;
    }
}
