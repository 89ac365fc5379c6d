package io.amoskys.api.admin;

import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What the event bus has taken in, per agent: the events of every envelope it verified and
 * committed since it started, by agent id. Differences over time are each agent's events per
 * second (the dashboard's "events/s by agent"). Holds one entry per agent that sent anything,
 * and only enrolled agents can.
 *
 * @since 1.4
 */
@ProviderType
public interface BusTraffic {
    /** Events accepted since the bus started, by agent id. */
    Map<String, Long> eventsByAgent();
}
