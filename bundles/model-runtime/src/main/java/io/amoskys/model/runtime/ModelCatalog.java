package io.amoskys.model.runtime;

import io.amoskys.api.Detector;
import io.amoskys.model.format.RefusalReason;
import io.amoskys.model.runtime.admin.ModelAdmin;
import io.amoskys.model.runtime.admin.ModelStatus;
import io.amoskys.model.runtime.admin.ScoreDistribution;
import io.amoskys.model.runtime.admin.ShadowReport;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every model the runtime knows, by name: the loaded versions in their families, the refused
 * ones with their reasons, and one detector registered per name while a version of it is loaded.
 */
final class ModelCatalog implements ModelAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);

    /** One version with its state, for the metrics. */
    record Entry(ModelVersion version, ModelState state) {}

    private final DetectorRegistrar registrar;
    private final PromotionState promotions;
    private final Map<String, ModelFamily> families = new TreeMap<>(); // guarded by this
    private final Map<String, Runnable> registrations = new HashMap<>(); // guarded by this
    private final List<RefusedModel> refused = new ArrayList<>(); // guarded by this
    private final Map<RefusalReason, LongAdder> refusedTotal = new EnumMap<>(RefusalReason.class);

    ModelCatalog(DetectorRegistrar registrar, PromotionState promotions) {
        this.registrar = registrar;
        this.promotions = promotions;
        for (RefusalReason reason : RefusalReason.values()) {
            refusedTotal.put(reason, new LongAdder());
        }
    }

    /** A version loaded from a started bundle. */
    void loaded(ModelVersion version) {
        // After a promotion's record, not between its switch and its record: the decision read here is the last one.
        synchronized (deciding) {
            loadedDeciding(version);
        }
    }

    private void loadedDeciding(ModelVersion version) {
        synchronized (this) {
            ModelFamily family = families.computeIfAbsent(version.name(), ModelFamily::new);
            if (family.versions().stream().noneMatch(e -> e.getKey().version().equals(version.version()))) {
                PromotionState.Decision decision = promotions.decision(version.name());
                ModelState state = family.add(version, decision);
                if (state == ModelState.ACTIVE && decision.active() == null) {
                    remember(version.name(), version.version()); // the first version: later ones must not take over by themselves
                }
                registrations.computeIfAbsent(version.name(), name -> registrar.register(name, family));
                LOG.info("Model {} {} from bundle {} is {} (schema {}, {} features{}, signed by {})", version.name(),
                        version.version(), version.bundleId, state.code(), version.descriptor.schema(),
                        version.descriptor.features().size(), version.windows == null ? ""
                                : ", windows of " + version.descriptor.window() + " scored every " + version.stride
                                        + " vectors of an entity", version.keyId);
                if (!family.hasActive()) {
                    LOG.warn("Model {} has no active version and scores nothing: the last decision names {}, which is not "
                            + "started; amoskys:models promote {} VERSION", version.name(), decision.active(), version.name());
                }
                return;
            }
        }
        version.close();
        refused(new RefusedModel(version.name(), version.version(), RefusalReason.DUPLICATE_VERSION,
                "another bundle serves version " + version.version() + " already", version.bundleId));
    }

    synchronized void refused(RefusedModel model) {
        refused.add(model);
        refusedTotal.get(model.reason()).increment();
        LOG.error("Refused model {} {} from bundle {} ({}): {}", model.name(), model.version(), model.bundleId(),
                model.reason().code(), model.detail());
    }

    /** The bundle stopped: its models go; a successor takes over where an active version went. */
    void bundleStopped(long bundleId) {
        List<ModelVersion> gone = new ArrayList<>();
        synchronized (this) {
            refused.removeIf(r -> r.bundleId() == bundleId);
            for (ModelFamily family : List.copyOf(families.values())) {
                for (Map.Entry<ModelVersion, ModelState> e : family.versions()) {
                    if (e.getKey().bundleId == bundleId) {
                        boolean wasActive = family.remove(e.getKey());
                        gone.add(e.getKey());
                        if (wasActive && !family.isEmpty()) {
                            LOG.warn("Model {} {}, the active version, is gone with bundle {}: the model scores nothing until it "
                                    + "comes back or an operator promotes another (amoskys:models promote {} VERSION)",
                                    family.name(), e.getKey().version(), bundleId, family.name());
                        } else {
                            LOG.info("Model {} {} is gone with bundle {}", family.name(), e.getKey().version(), bundleId);
                        }
                    }
                }
                if (family.isEmpty()) {
                    families.remove(family.name());
                    registrations.remove(family.name()).run();
                }
            }
        }
        // After the switch: closing waits for the calls still running on these versions.
        gone.forEach(ModelVersion::close);
    }

    /**
     * Withdraws every running version whose signing key is no longer trusted (revoked or its
     * trust file removed), as a refusal, and closes its session once its calls are done.
     *
     * @return how many versions went
     */
    int withdrawUntrusted(Predicate<String> trustedKeyId) {
        List<ModelVersion> gone = new ArrayList<>();
        synchronized (this) {
            for (ModelFamily family : List.copyOf(families.values())) {
                for (Map.Entry<ModelVersion, ModelState> e : family.versions()) {
                    ModelVersion v = e.getKey();
                    if (!trustedKeyId.test(v.keyId)) {
                        family.remove(v);
                        gone.add(v);
                        refused(new RefusedModel(v.name(), v.version(), RefusalReason.UNTRUSTED_KEY, "key " + v.keyId
                                + " is no longer trusted (revoked or its trust file removed): withdrawn while it ran", v.bundleId));
                    }
                }
                if (family.isEmpty()) {
                    families.remove(family.name());
                    registrations.remove(family.name()).run();
                }
            }
        }
        gone.forEach(ModelVersion::close);
        return gone.size();
    }

    /** Withdraws every detector and closes every session (the runtime stops). */
    void close() {
        List<ModelVersion> all = new ArrayList<>();
        synchronized (this) {
            registrations.values().forEach(Runnable::run);
            registrations.clear();
            families.values().forEach(f -> f.versions().forEach(e -> all.add(e.getKey())));
            families.clear();
            refused.clear();
        }
        all.forEach(ModelVersion::close);
    }

    @Override
    public synchronized List<ModelStatus> models() {
        List<ModelStatus> list = new ArrayList<>();
        for (ModelFamily family : families.values()) {
            for (Map.Entry<ModelVersion, ModelState> e : family.versions()) {
                ModelVersion v = e.getKey();
                list.add(new ModelStatus(v.name(), v.version(), e.getValue().code(), null, "", v.descriptor.threshold(),
                        v.stats.rows.sum(), v.stats.errorsTotal(), v.stats.meanCallMicros(), v.bundleId));
            }
        }
        refused.forEach(r -> list.add(r.status()));
        list.sort(Comparator.comparing(ModelStatus::name));
        return list;
    }

    @Override
    public synchronized List<ScoreDistribution> scoreDistributions() {
        List<ScoreDistribution> list = new ArrayList<>();
        for (ModelFamily family : families.values()) {
            for (Map.Entry<ModelVersion, ModelState> e : family.versions()) {
                ModelVersion v = e.getKey();
                list.add(new ScoreDistribution(v.name(), v.version(), v.stats.scores.upperBounds(), v.stats.scores.counts()));
            }
        }
        return list;
    }

    @Override
    public String promote(String name, String version) {
        synchronized (deciding) {
            ModelFamily.Switch done;
            synchronized (this) {
                done = family(name).promote(version);
            }
            return keep(name, done, "promoted");
        }
    }

    @Override
    public String rollback(String name) {
        synchronized (deciding) {
            ModelFamily.Switch done;
            synchronized (this) {
                done = family(name).rollback();
            }
            return keep(name, done, "rolled back to");
        }
    }

    /**
     * Held from a switch until its decision is recorded, so that two operators' commands are
     * recorded in the order they switched (the file is written outside the catalog's lock).
     */
    private final Object deciding = new Object();

    @Override
    public synchronized List<ShadowReport> compare(String name) {
        return family(name).compare();
    }

    @Override
    public synchronized Optional<Detector> everyWindow(String name) {
        return Optional.ofNullable(families.get(name)).map(EveryWindow::new);
    }

    synchronized List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        families.values().forEach(f -> f.versions().forEach(e -> entries.add(new Entry(e.getKey(), e.getValue()))));
        return entries;
    }

    synchronized List<RefusedModel> refusedModels() {
        return List.copyOf(refused);
    }

    Map<RefusalReason, LongAdder> refusedTotal() {
        return refusedTotal;
    }

    private ModelFamily family(String name) {
        ModelFamily family = families.get(name);
        if (family == null) {
            throw new IllegalArgumentException("no model named '" + name + "' is loaded (see amoskys:models)");
        }
        return family;
    }

    private void remember(String name, String active) {
        try {
            promotions.record(name, active, null);
        } catch (UncheckedIOException e) {
            LOG.error("{}", e.getMessage());
        }
    }

    private String keep(String name, ModelFamily.Switch done, String verb) {
        String message = "model " + name + ": " + verb + " " + done.active()
                + (done.previous() == null ? "" : done.previousLoaded() ? "; " + done.previous() + " is on standby"
                        : "; a rollback returns to " + done.previous() + " once it is started again");
        LOG.info("Model {} {} {} by the operator", name, verb, done.active());
        try {
            promotions.record(name, done.active(), done.previous());
        } catch (UncheckedIOException e) {
            LOG.error("{}", e.getMessage());
            return message + " (NOT kept across a restart: " + e.getMessage() + ")";
        }
        return message;
    }
}
