package io.amoskys.alerts.rest;

import io.amoskys.alerts.internal.EvidenceEvents;
import io.amoskys.api.bus.LoggedEvent;
import io.amoskys.api.event.TelemetryEvent;
import java.util.List;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;

/** Evidence events as the REST API's JSON: the stored event with its place in the log, or why it is missing. */
final class EventJson {
    private EventJson() {}

    static JsonArray events(List<EvidenceEvents.Resolved> resolved) {
        return new JsonArray(resolved.stream().map(EventJson::event).toList());
    }

    private static JsonObject event(EvidenceEvents.Resolved r) {
        JsonObject o = new JsonObject();
        o.put("id", r.id());
        o.put("found", r.stored() != null);
        if (r.stored() == null) {
            o.put("reason", r.missing());
            return o;
        }
        LoggedEvent stored = r.stored();
        TelemetryEvent e = stored.event();
        o.put("agent", e.agentId());
        o.put("sequence", e.sequence());
        o.put("kind", e.kind());
        o.put("entity", e.entityId());
        o.put("timestampNanos", e.timestampNanos());
        o.put("logOffset", stored.offset());
        o.put("logIndex", stored.index());
        o.put("labels", new JsonObject(e.labels()));
        JsonObject metrics = new JsonObject();
        // JSON has no NaN or infinity: such a metric is written as a string rather than lost.
        e.metrics().forEach((k, v) -> metrics.put(k, Double.isFinite(v) ? (Object) v : String.valueOf(v)));
        o.put("metrics", metrics);
        return o;
    }
}
