package io.amoskys.model.runtime;

import io.amoskys.model.format.RefusalReason;
import io.amoskys.model.runtime.admin.ModelStatus;

/** A model a bundle carries that the runtime would not load; kept while the bundle is started. */
record RefusedModel(String name, String version, RefusalReason reason, String detail, long bundleId)
        implements LoadOutcome {

    ModelStatus status() {
        return new ModelStatus(name, version, ModelState.REFUSED.code(), reason.code(), detail, Double.NaN, 0, 0, 0,
                bundleId);
    }
}
