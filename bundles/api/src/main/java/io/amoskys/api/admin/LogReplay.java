package io.amoskys.api.admin;

import java.time.Instant;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Re-runs a stretch of the event bus's log through the live routes: for investigation after a
 * rule or model changed, or after a plugin was missing. Provided by the platform core.
 *
 * @since 1.2
 */
@ProviderType
public interface LogReplay {
    /**
     * Feeds the events committed between {@code from} and {@code to} again to every route reading
     * {@code amoskys:bus/CONSUMER}, without moving that consumer's committed offset, and returns
     * once they have all been through: one line with the offsets, events and time it took.
     *
     * @throws IllegalArgumentException when no started route reads from that consumer
     */
    String replay(String consumer, Instant from, Instant to) throws InterruptedException;
}
