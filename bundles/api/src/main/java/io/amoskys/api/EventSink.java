package io.amoskys.api;

import io.amoskys.api.event.TelemetryEvent;
import org.osgi.annotation.versioning.ProviderType;

/** Where an agent delivers its events. Provided by the platform. */
@ProviderType
public interface EventSink {
    /**
     * Hands one event to the platform. Returns when the platform has taken it; may block while
     * the platform applies back-pressure. Never throws for a well-formed event.
     */
    void accept(TelemetryEvent event);
}
