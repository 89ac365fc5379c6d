package io.amoskys.model.runtime;

/** Where a model version stands. */
enum ModelState {
    /** Its scores are the detector's answers. */
    ACTIVE,
    /** Scored beside the active version; its scores are recorded, not passed on. */
    SHADOW,
    /** Loaded, not scored: a version that was active before (rollback brings it back). */
    STANDBY,
    /** Not loaded, for the reason given. */
    REFUSED;

    String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
