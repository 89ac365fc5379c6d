package io.amoskys.model.runtime;

/** Why a vector got no score from a model (counted per row, by model version). */
enum ScoringError {
    /** A NaN or infinite input value (or one too large for float32): never handed to ONNX Runtime. */
    NON_FINITE("non-finite"),
    /** The vector's schema has the model's schema name but lacks one of its features. */
    MISSING_FEATURE("missing-feature"),
    /** ONNX Runtime failed the call. */
    ORT_ERROR("ort-error"),
    /** The model answered a NaN score. */
    BAD_OUTPUT("bad-output");

    private final String code;

    ScoringError(String code) {
        this.code = code;
    }

    String code() {
        return code;
    }
}
