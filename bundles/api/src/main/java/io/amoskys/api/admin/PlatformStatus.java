package io.amoskys.api.admin;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** A live view of the platform; every call returns a fresh snapshot. */
@ProviderType
public interface PlatformStatus {
    /** Every plugin service registered now, by kind then name. */
    List<PluginDTO> plugins();

    /** Every route in the platform context with its counters. */
    List<RouteDTO> routes();

    /** Every plugin endpoint that routes use now, including those whose plugin is missing. */
    List<EndpointDTO> endpoints();

    /**
     * Messages dead-lettered since the platform started, by every endpoint, including endpoints
     * no route uses any more.
     *
     * @since 1.1
     */
    long deadLettered();
}
