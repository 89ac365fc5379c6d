package io.amoskys.alerts.internal;

import io.amoskys.api.bus.EventLog;
import io.amoskys.api.bus.LoggedEvent;
import java.util.ArrayList;
import java.util.List;

/** An alert's evidence ids looked up in the bus's log: each the stored event, or why there is none. */
public final class EvidenceEvents {
    /** One evidence id: {@code stored} when the log holds it, else {@code missing} says why not. */
    public record Resolved(String id, LoggedEvent stored, String missing) {}

    private EvidenceEvents() {}

    /** @param log the bus's log, null when the bus is not running */
    public static List<Resolved> resolve(EventLog log, List<String> ids) {
        List<Resolved> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            out.add(resolve(log, id));
        }
        return out;
    }

    private static Resolved resolve(EventLog log, String id) {
        if (log == null) {
            return new Resolved(id, null, "the event bus is not running");
        }
        try {
            return log.find(id).map(e -> new Resolved(id, e, null))
                    .orElseGet(() -> new Resolved(id, null, "not in the log (removed by retention, or never stored)"));
        } catch (IllegalArgumentException e) {
            return new Resolved(id, null, e.getMessage());
        } catch (RuntimeException e) {
            // The bus stopping, or a damaged envelope (amoskys:verify says where): this id only.
            return new Resolved(id, null, "the log could not be read: " + e.getMessage());
        }
    }
}
