package io.amoskys.model.runtime;

import ai.onnxruntime.OrtEnvironment;
import io.amoskys.api.Detector;
import io.amoskys.api.PluginName;
import io.amoskys.api.admin.MetricsSource;
import io.amoskys.model.format.ModelSigner;
import io.amoskys.model.runtime.admin.ModelAdmin;
import io.amoskys.model.runtime.admin.ModelStatus;
import io.amoskys.model.runtime.admin.ScoreDistribution;
import io.amoskys.model.runtime.admin.ShadowReport;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.util.tracker.BundleTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model extender in the platform: tracks model bundles once ONNX Runtime's shared
 * environment is there (the service of {@code io.amoskys.onnxruntime}), registers one
 * {@link Detector} per model name, and serves the shell and the metrics.
 */
@Component(service = {ModelAdmin.class, MetricsSource.class}, configurationPid = ModelRuntimeComponent.PID,
        immediate = true)
@Designate(ocd = RuntimeConfig.class)
public class ModelRuntimeComponent implements ModelAdmin, MetricsSource {
    public static final String PID = "io.amoskys.model.runtime";
    private static final Logger LOG = LoggerFactory.getLogger(ModelRuntimeComponent.class);

    private final ModelCatalog catalog;
    private final ModelMetrics metrics;
    private final BundleTracker<Long> tracker;
    private final ScheduledExecutorService trustChecks;

    @Activate
    public ModelRuntimeComponent(BundleContext context, RuntimeConfig config,
            @Reference OrtEnvironment environment,
            @Reference(target = "(component.name=io.amoskys.model.runtime.PlatformModelSigner)") ModelSigner platformSigner) {
        RuntimeSettings settings = RuntimeSettings.of(config);
        this.catalog = new ModelCatalog((name, detector) -> register(context, name, detector),
                new PromotionState(settings.stateFile()));
        this.metrics = new ModelMetrics(catalog);
        ModelTrust trust = new ModelTrust(settings.trustDir(), platformSigner);
        ModelLoader loader = new ModelLoader(environment, trust, settings);
        this.tracker = new BundleTracker<>(context, Bundle.ACTIVE, new ModelBundleTracker(new ModelExtender(loader, catalog)));
        tracker.open();
        // A revoked key must stop the models it signed, not only the next ones to start.
        this.trustChecks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "amoskys-model-trust");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, config.trustCheckSeconds());
        trustChecks.scheduleWithFixedDelay(() -> {
            try {
                catalog.withdrawUntrusted(trust::stillTrusted);
            } catch (RuntimeException e) {
                LOG.error("Checking the running models' keys against {} failed: {}", settings.trustDir(), e.toString());
            }
        }, period, period, TimeUnit.SECONDS);
        LOG.info("Model runtime ready: ONNX Runtime {}, trust {}, platform model key {}", environment.getVersion(),
                settings.trustDir(), platformSigner.keyId());
    }

    private static Runnable register(BundleContext context, String name, Detector detector) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(PluginName.PROPERTY, name);
        properties.put(Constants.SERVICE_DESCRIPTION, "ONNX model " + name + " (amoskys:models)");
        ServiceRegistration<Detector> registration = context.registerService(Detector.class, detector, properties);
        return () -> {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // Already gone with this bundle.
            }
        };
    }

    @Deactivate
    void deactivate() {
        trustChecks.shutdownNow();
        tracker.close();
        catalog.close();
    }

    @Override
    public List<ModelStatus> models() {
        return catalog.models();
    }

    @Override
    public String promote(String name, String version) {
        return catalog.promote(name, version);
    }

    @Override
    public String rollback(String name) {
        return catalog.rollback(name);
    }

    @Override
    public List<ShadowReport> compare(String name) {
        return catalog.compare(name);
    }

    @Override
    public Optional<Detector> everyWindow(String name) {
        return catalog.everyWindow(name);
    }

    @Override
    public List<ScoreDistribution> scoreDistributions() {
        return catalog.scoreDistributions();
    }

    @Override
    public void writePrometheus(StringBuilder out) {
        metrics.writePrometheus(out);
    }
}
