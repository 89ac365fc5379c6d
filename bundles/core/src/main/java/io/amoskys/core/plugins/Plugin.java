package io.amoskys.core.plugins;

import io.amoskys.api.PluginKind;

/** One registered plugin service, as the whiteboard saw it arrive. */
public record Plugin(PluginKind kind, String name, Object service, int ranking, long serviceId, long bundleId, String bundle) {

    /** Higher ranking first, then the older service (lower id), as OSGi orders services. */
    boolean outranks(Plugin other) {
        return ranking != other.ranking ? ranking > other.ranking : serviceId < other.serviceId;
    }
}
