package io.amoskys.api.admin;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A bundle's own metrics for {@code /metrics}: register one as a service and the metrics
 * endpoint appends what it writes. Names start with {@code amoskys_}.
 *
 * @since 1.2
 */
@ConsumerType
public interface MetricsSource {
    /**
     * Appends metric families in the Prometheus text format (version 0.0.4), each with its
     * {@code # HELP} and {@code # TYPE} lines. Called on every scrape; must be quick.
     */
    void writePrometheus(StringBuilder out);
}
