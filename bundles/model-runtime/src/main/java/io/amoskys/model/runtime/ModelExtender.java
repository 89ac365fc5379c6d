package io.amoskys.model.runtime;

import io.amoskys.model.format.ModelBundleLayout;
import io.amoskys.model.format.RefusalReason;

/** What happens when a model bundle starts or stops, whoever tracks the bundles. */
final class ModelExtender {
    private final ModelLoader loader;
    private final ModelCatalog catalog;

    ModelExtender(ModelLoader loader, ModelCatalog catalog) {
        this.loader = loader;
        this.catalog = catalog;
    }

    /** @param header the bundle's {@value ModelBundleLayout#MODELS_HEADER} header */
    void started(ModelSource source, String header) {
        String code = source.code();
        if (code != null) {
            for (String path : ModelBundleLayout.descriptorPaths(header)) {
                catalog.refused(new RefusedModel(path.replaceFirst("^.*/", "").replaceFirst("\\.json$", ""), "?",
                        RefusalReason.CARRIES_CODE, source.describe() + " carries " + code
                                + ": a model bundle holds data only, its signature covers nothing else", source.bundleId()));
            }
            return;
        }
        for (String path : ModelBundleLayout.descriptorPaths(header)) {
            LoadOutcome outcome = loader.load(source, path);
            if (outcome instanceof ModelVersion version) {
                catalog.loaded(version);
            } else {
                catalog.refused((RefusedModel) outcome);
            }
        }
    }

    void stopped(long bundleId) {
        catalog.bundleStopped(bundleId);
    }
}
