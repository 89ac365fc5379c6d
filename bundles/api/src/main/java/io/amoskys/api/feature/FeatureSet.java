package io.amoskys.api.feature;

import io.amoskys.api.FeatureStage;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The features one stage appends to the vectors of each telemetry kind, registered as a service
 * beside the stage. The platform's catalogue (shell, REST, docs/FEATURES.md) is the union of these.
 */
@ConsumerType
public interface FeatureSet {
    /** The stage's plugin name ({@code temporal}). */
    String stage();

    /**
     * Raised whenever a feature is added, removed, reordered or changes meaning: schemas carry it,
     * so a model trained on another version sees that the columns differ.
     */
    int version();

    /** One sentence on what the stage adds. */
    String description();

    /** In column order per kind. */
    List<FeatureDefinition> definitions();

    /**
     * A new instance of the stage with the same configuration and empty state, for work beside the
     * live stream (exporting a capture's features, training) that must neither see nor change the
     * live stage's per-entity state.
     */
    FeatureStage detached();

    /** The columns this stage appends for one kind, in order; empty when it adds none. */
    default List<String> columns(String kind) {
        return definitions().stream().filter(d -> d.kind().equals(kind)).map(FeatureDefinition::name).toList();
    }
}
