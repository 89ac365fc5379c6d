package io.amoskys.model.runtime;

import io.amoskys.model.format.RefusalReason;

/** A model the runtime will not load, with the reason operators see. */
final class ModelRefusedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final RefusalReason reason;

    ModelRefusedException(RefusalReason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    ModelRefusedException(RefusalReason reason, String detail, Throwable cause) {
        super(detail, cause);
        this.reason = reason;
    }

    RefusalReason reason() {
        return reason;
    }
}
