package io.amoskys.model.runtime;

import io.amoskys.model.format.ModelBundleLayout;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.util.tracker.BundleTrackerCustomizer;

/**
 * Follows the started bundles that carry models (the {@value ModelBundleLayout#MODELS_HEADER}
 * header). Models load on the thread that started the bundle, so when {@code bundle:install -s}
 * returns, the model is scoring or refused.
 */
final class ModelBundleTracker implements BundleTrackerCustomizer<Long> {
    private final ModelExtender extender;

    ModelBundleTracker(ModelExtender extender) {
        this.extender = extender;
    }

    @Override
    public Long addingBundle(Bundle bundle, BundleEvent event) {
        // Raw headers: localizing them would look for resources the bundle may not have.
        String header = bundle.getHeaders("").get(ModelBundleLayout.MODELS_HEADER);
        if (header == null) {
            return null;
        }
        extender.started(new BundleModelSource(bundle), header);
        return bundle.getBundleId();
    }

    @Override
    public void modifiedBundle(Bundle bundle, BundleEvent event, Long bundleId) {
        // Models change only by a restart of their bundle.
    }

    @Override
    public void removedBundle(Bundle bundle, BundleEvent event, Long bundleId) {
        extender.stopped(bundleId);
    }
}
