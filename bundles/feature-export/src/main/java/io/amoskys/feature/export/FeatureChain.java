package io.amoskys.feature.export;

import io.amoskys.api.FeatureStage;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.api.feature.FeatureSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Stages applied in order to one event, as a route's steps would: the first makes a vector, the rest extend it. */
final class FeatureChain {
    /** The stages of the default pipeline, in route order. */
    static final List<String> DEFAULT = List.of("canonical", "temporal", "cross", "domain", "anomaly");

    private final List<FeatureStage> stages;

    FeatureChain(List<FeatureStage> stages) {
        this.stages = List.copyOf(stages);
    }

    /**
     * Fresh, detached instances of the named stages (see {@link FeatureSet#detached()}), so an
     * export neither sees nor disturbs the live stages' state.
     */
    static FeatureChain detached(List<String> names, List<FeatureSet> available) {
        Map<String, FeatureSet> byName = available.stream()
                .collect(Collectors.toMap(FeatureSet::stage, Function.identity(), (a, b) -> a));
        List<FeatureStage> stages = new ArrayList<>();
        for (String name : names) {
            FeatureSet set = byName.get(name);
            if (set == null) {
                throw new IllegalArgumentException("no feature stage named '" + name + "' is installed (installed: "
                        + byName.keySet().stream().sorted().collect(Collectors.joining(", ")) + ")");
            }
            stages.add(set.detached());
        }
        return new FeatureChain(stages);
    }

    /** The vector the chain makes of the event, or null when a stage answered with none. */
    FeatureVector apply(TelemetryEvent event) {
        FeatureVector vector = null;
        for (FeatureStage stage : stages) {
            vector = stage.process(event, vector);
            if (vector == null) {
                return null;
            }
        }
        return vector;
    }
}
