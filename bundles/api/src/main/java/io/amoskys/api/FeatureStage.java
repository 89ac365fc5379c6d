package io.amoskys.api;

import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One step from raw telemetry to per-entity feature vectors (canonical, temporal, cross-feature,
 * domain, anomaly). Stages are chained by routes; each sees the event that started the chain and
 * the vector built so far.
 *
 * <p>Implementations keep bounded per-entity state and are called from route threads, possibly
 * concurrently for different entities.
 */
@ConsumerType
public interface FeatureStage {
    /**
     * @param event the telemetry event the chain started from
     * @param current the vector built by earlier stages, or {@code null} for the first stage
     * @return the vector to pass on, or {@code null} when this event yields no vector (the chain
     *     stops for it; that is counted, not an error)
     */
    FeatureVector process(TelemetryEvent event, FeatureVector current);
}
