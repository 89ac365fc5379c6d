package io.amoskys.model.runtime;

import io.amoskys.api.Detector;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import io.amoskys.model.runtime.admin.ShadowReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The versions of one model name, and the detector that serves the name. Each call reads the
 * current roles once (one volatile read): promotion and rollback publish new roles between two
 * calls, so no vector is scored by a half-switched model and none is lost. Shadows score the same
 * vectors after the active version; their scores are recorded, never returned. A sequence model's
 * active version scores the windows due at its stride, and its shadows score the same ones.
 */
final class ModelFamily implements Detector {
    /** Who scores now: the active version and the shadows, each with its comparison against it. */
    record Roles(ModelVersion active, List<ShadowComparison> shadows) {}

    /** A change of active version, to be kept across restarts. */
    /** @param previousLoaded whether {@code previous} is loaded (on standby) or its bundle is gone */
    record Switch(String active, String previous, boolean previousLoaded) {}

    private final String name;
    private volatile Roles roles = new Roles(null, List.of());
    private final Map<String, ModelVersion> versions = new HashMap<>(); // guarded by this
    private final Map<String, ModelState> states = new HashMap<>(); // guarded by this
    private String previous; // guarded by this: the version a rollback makes active again
    /** The active version whose bundle stopped, while no other is active: the one a promotion turns from. */
    private String activeGone;

    ModelFamily(String name) {
        this.name = name;
    }

    @Override
    public Score score(FeatureVector vector) {
        return scoreBatch(List.of(vector), false)[0];
    }

    @Override
    public List<Score> scoreAll(List<FeatureVector> vectors) {
        return Arrays.asList(scoreBatch(vectors, false));
    }

    /** @param everyWindow score every vector's window, whatever the stride (evaluation: {@link EveryWindow}) */
    Score[] scoreBatch(List<FeatureVector> vectors, boolean everyWindow) {
        // A second try when the version read was closed meanwhile (its bundle stopped): its
        // successor is in the roles by then.
        for (int attempt = 0; attempt < 2; attempt++) {
            Roles now = roles;
            if (now.active() == null) {
                break;
            }
            ModelVersion active = now.active();
            ModelVersion.Scored answer = active.score(vectors, everyWindow ? 1 : active.stride);
            if (answer.closed()) {
                continue;
            }
            for (ShadowComparison shadow : now.shadows()) {
                ModelVersion.Scored recorded = shadow.shadow.follow(vectors, answer.skipped());
                if (!recorded.closed()) {
                    shadow.record(answer, recorded);
                }
            }
            return answer.scores();
        }
        return new Score[vectors.size()];
    }

    String name() {
        return name;
    }

    /**
     * Takes a new version in: active if the operator's last decision names it, or if it is the
     * first version of the name ever (no decision recorded: the caller records one); else the
     * shadow, which sends an earlier shadow to standby (or standby, when the decision names it
     * as the previous one).
     */
    synchronized ModelState add(ModelVersion version, PromotionState.Decision decision) {
        String v = version.version();
        versions.put(v, version);
        ModelVersion active = roles.active();
        if (previous == null) {
            previous = decision.previous();
        }
        if (active == null && (v.equals(decision.active()) || decision.active() == null && versions.size() == 1)) {
            states.put(v, ModelState.ACTIVE);
            activeGone = null;
        } else if (active != null && v.equals(decision.active())) {
            states.put(active.version(), ModelState.STANDBY);
            states.put(v, ModelState.ACTIVE);
        } else if (v.equals(decision.previous())) {
            states.put(v, ModelState.STANDBY);
        } else if (newest(ModelState.SHADOW).filter(shadow -> ModelVersions.ORDER.compare(v, shadow) < 0).isPresent()) {
            states.put(v, ModelState.STANDBY); // an older version restarted: the newer shadow keeps shadowing
        } else {
            // One shadow at a time, the newest: each scores every live vector on the route's
            // thread, so shadows left behind by nightly retraining must not pile up.
            states.replaceAll((other, state) -> state == ModelState.SHADOW ? ModelState.STANDBY : state);
            states.put(v, ModelState.SHADOW);
        }
        publish();
        return states.get(v);
    }

    /**
     * Lets a version go (its bundle stopped). No other version takes over by itself: a shadow was
     * never approved, and a standby may be one the operator rolled back from. Until the active
     * version comes back (a bundle update) or the operator promotes another, the model scores
     * nothing.
     *
     * @return whether the version that went was the active one
     */
    synchronized boolean remove(ModelVersion version) {
        String v = version.version();
        if (versions.get(v) != version) {
            return false;
        }
        versions.remove(v);
        ModelState was = states.remove(v);
        if (was == ModelState.ACTIVE) {
            activeGone = v;
        }
        publish();
        return was == ModelState.ACTIVE;
    }

    /** Makes {@code version} (or the newest shadow when {@code null}) active; the active one goes to standby. */
    synchronized Switch promote(String version) {
        String target = version != null ? version : newest(ModelState.SHADOW).orElseThrow(
                () -> new IllegalArgumentException("model " + name + " has no shadow version to promote"));
        ModelState state = states.get(target);
        if (state == null) {
            throw new IllegalArgumentException("model " + name + " has no version " + target + " loaded (see amoskys:models)");
        }
        if (state == ModelState.ACTIVE) {
            throw new IllegalArgumentException("version " + target + " of model " + name + " is active already");
        }
        return activate(target);
    }

    /** Makes the version that was active before the last switch active again. */
    synchronized Switch rollback() {
        if (previous == null || !versions.containsKey(previous)) {
            throw new IllegalArgumentException("model " + name + " has no previous version loaded to roll back to"
                    + (previous == null ? "" : " (" + previous + " is not installed)"));
        }
        if (states.get(previous) == ModelState.ACTIVE) {
            throw new IllegalArgumentException("version " + previous + " of model " + name + " is active already");
        }
        return activate(previous);
    }

    private Switch activate(String target) {
        ModelVersion active = roles.active();
        ModelVersion incoming = versions.get(target);
        boolean fed = active != null && states.get(target) == ModelState.SHADOW; // a shadow reads every vector
        if (incoming.windows != null && !fed) {
            boolean sameFeatures = active != null && active.windows != null
                    && active.descriptor.features().equals(incoming.descriptor.features());
            incoming.windows.takeOver(sameFeatures ? active.windows : null);
        }
        if (active != null) {
            states.put(active.version(), ModelState.STANDBY);
            previous = active.version();
        } else if (activeGone != null && !activeGone.equals(target)) {
            previous = activeGone; // what the operator turns from is the version whose bundle went
        } else if (target.equals(previous)) {
            previous = null;
        }
        activeGone = null;
        states.put(target, ModelState.ACTIVE);
        publish();
        return new Switch(target, previous, previous != null && versions.containsKey(previous));
    }

    synchronized boolean isEmpty() {
        return versions.isEmpty();
    }

    synchronized boolean hasActive() {
        return roles.active() != null;
    }

    /** Every version with its state, newest first. */
    synchronized List<Map.Entry<ModelVersion, ModelState>> versions() {
        List<Map.Entry<ModelVersion, ModelState>> list = new ArrayList<>();
        versions.values().forEach(v -> list.add(Map.entry(v, states.get(v.version()))));
        list.sort(Comparator.comparing((Map.Entry<ModelVersion, ModelState> e) -> e.getKey().version(),
                ModelVersions.ORDER).reversed());
        return list;
    }

    List<ShadowReport> compare() {
        return roles.shadows().stream().map(ShadowComparison::report).toList();
    }

    private Optional<String> newest(ModelState state) {
        return states.entrySet().stream().filter(e -> e.getValue() == state).map(Map.Entry::getKey)
                .max(ModelVersions.ORDER);
    }

    /** New roles from the states; a shadow keeps its comparison while the active version stays. */
    private void publish() {
        ModelVersion active = states.entrySet().stream().filter(e -> e.getValue() == ModelState.ACTIVE)
                .map(e -> versions.get(e.getKey())).findFirst().orElse(null);
        List<ShadowComparison> shadows = new ArrayList<>();
        if (active != null) {
            for (Map.Entry<String, ModelState> e : states.entrySet()) {
                if (e.getValue() == ModelState.SHADOW) {
                    ModelVersion shadow = versions.get(e.getKey());
                    shadows.add(roles.shadows().stream()
                            .filter(c -> c.active == active && c.shadow == shadow).findFirst()
                            .orElseGet(() -> new ShadowComparison(active, shadow)));
                }
            }
            shadows.sort(Comparator.comparing(c -> c.shadow.version(), ModelVersions.ORDER));
        }
        roles = new Roles(active, List.copyOf(shadows));
    }
}
