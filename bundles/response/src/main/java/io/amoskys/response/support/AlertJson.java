package io.amoskys.response.support;

import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Score;
import java.time.Instant;
import java.util.List;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;

/** An alert as one JSON document, as the notifying responders send it, its evidence capped so it stays small. */
public final class AlertJson {
    public static final int MAX_EVENT_IDS = 100;
    public static final int MAX_SCORES = 20;

    private AlertJson() {}

    public static String of(Alert alert) {
        JsonObject o = new JsonObject();
        o.put("id", alert.id());
        o.put("rule", alert.rule());
        o.put("entity", alert.entityId());
        o.put("severity", alert.severity().name());
        o.put("title", alert.title());
        o.put("tags", new JsonArray(alert.tags()));
        o.put("time", time(alert));
        o.put("timestampNanos", alert.timestampNanos());
        o.put("groupBy", new JsonObject(alert.groupBy()));
        List<Score> scores = alert.scores();
        o.put("scores", new JsonArray(scores.stream().limit(MAX_SCORES).map(AlertJson::score).toList()));
        if (scores.size() > MAX_SCORES) {
            o.put("scoresDropped", scores.size() - MAX_SCORES);
        }
        List<String> eventIds = alert.eventIds();
        o.put("eventIds", new JsonArray(eventIds.subList(0, Math.min(MAX_EVENT_IDS, eventIds.size()))));
        if (eventIds.size() > MAX_EVENT_IDS) {
            o.put("eventIdsDropped", eventIds.size() - MAX_EVENT_IDS);
        }
        return o.toJson();
    }

    /** The alert's event time, ISO-8601 in UTC. */
    public static String time(Alert alert) {
        long nanos = alert.timestampNanos();
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)).toString();
    }

    private static JsonObject score(Score s) {
        JsonObject o = new JsonObject();
        o.put("detector", s.detector());
        o.put("modelVersion", s.modelVersion());
        o.put("entity", s.entityId());
        o.put("value", s.value());
        o.put("eventIds", new JsonArray(s.eventIds().subList(0, Math.min(MAX_EVENT_IDS, s.eventIds().size()))));
        return o;
    }
}
