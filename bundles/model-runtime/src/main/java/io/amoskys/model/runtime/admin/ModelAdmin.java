package io.amoskys.model.runtime.admin;

import io.amoskys.api.Detector;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** What the shell, {@code amoskys:evaluate} and the REST API may see and do with the models. */
@ProviderType
public interface ModelAdmin {
    /** Every version of every model, refused ones too, by name then newest version first. */
    List<ModelStatus> models();

    /**
     * Makes a shadow or standby version active; the active one goes to standby.
     *
     * @param version {@code null} for the newest shadow
     * @return what happened, for the operator
     * @throws IllegalArgumentException naming what is missing
     */
    String promote(String name, String version);

    /** Makes the version active before the last switch active again. */
    String rollback(String name);

    /** Each shadow of the model against its active version. */
    List<ShadowReport> compare(String name);

    /**
     * The model's detector as routes reach it, except that a sequence model scores every vector's
     * window whatever the runtime's {@code windowStride}: what evaluation measures a model with.
     *
     * @return empty when the runtime has no model of that name
     * @since 1.1
     */
    Optional<Detector> everyWindow(String name);

    /**
     * The score distribution of every loaded version, by name then newest version first (refused
     * versions score nothing and have none).
     *
     * @since 1.2
     */
    List<ScoreDistribution> scoreDistributions();
}
