package io.amoskys.alerts.rest;

import io.amoskys.api.alert.AlertDTO;
import io.amoskys.api.alert.AlertHistoryDTO;
import io.amoskys.api.alert.AlertScoreDTO;
import io.amoskys.api.alert.ContributionDTO;
import io.amoskys.api.alert.SuppressionDTO;
import java.util.List;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;

/** Alerts and suppressions as the REST API's JSON: one object each, named like the DTOs' fields. */
final class AlertJson {
    private AlertJson() {}

    static JsonObject alert(AlertDTO a) {
        JsonObject o = new JsonObject();
        o.put("id", a.id);
        o.put("rule", a.rule);
        o.put("entity", a.entity);
        o.put("severity", a.severity);
        o.put("title", a.title);
        o.put("state", a.state);
        o.put("count", a.count);
        o.put("firstSeenNanos", a.firstSeenNanos);
        o.put("lastSeenNanos", a.lastSeenNanos);
        o.put("createdMillis", a.createdMillis);
        o.put("lastAdmittedMillis", a.lastAdmittedMillis);
        o.put("stateChangedMillis", a.stateChangedMillis);
        o.put("tags", new JsonArray(a.tags));
        o.put("groupBy", new JsonObject(a.groupBy));
        o.put("modelVersions", new JsonArray(a.modelVersions));
        o.put("eventIdsKept", a.eventIdsKept);
        o.put("eventIdsDropped", a.eventIdsDropped);
        if (a.eventIds != null) {
            o.put("eventIds", new JsonArray(a.eventIds));
            o.put("scores", new JsonArray(a.scores.stream().map(AlertJson::score).toList()));
            o.put("scoresDropped", a.scoresDropped);
            o.put("explanation", a.explanation);
            o.put("history", new JsonArray(a.history.stream().map(AlertJson::history).toList()));
        }
        return o;
    }

    static JsonArray alerts(List<AlertDTO> alerts) {
        return new JsonArray(alerts.stream().map(AlertJson::alert).toList());
    }

    private static JsonObject score(AlertScoreDTO s) {
        JsonObject o = new JsonObject();
        o.put("detector", s.detector);
        o.put("modelVersion", s.modelVersion);
        o.put("entity", s.entity);
        o.put("timestampNanos", s.timestampNanos);
        o.put("value", s.value);
        o.put("eventIds", new JsonArray(s.eventIds));
        o.put("contributions", new JsonArray(s.contributions.stream().map(AlertJson::contribution).toList()));
        return o;
    }

    private static JsonObject contribution(ContributionDTO c) {
        JsonObject o = new JsonObject();
        o.put("feature", c.feature);
        o.put("value", c.value);
        o.put("weight", c.weight);
        return o;
    }

    private static JsonObject history(AlertHistoryDTO h) {
        JsonObject o = new JsonObject();
        o.put("atMillis", h.atMillis);
        o.put("user", h.user);
        o.put("fromState", h.fromState);
        o.put("toState", h.toState);
        o.put("comment", h.comment);
        o.put("suppressionId", h.suppressionId);
        return o;
    }

    static JsonObject suppression(SuppressionDTO s) {
        JsonObject o = new JsonObject();
        o.put("id", s.id);
        o.put("rule", s.rule);
        o.put("entity", s.entity);
        o.put("reason", s.reason);
        o.put("createdBy", s.createdBy);
        o.put("createdMillis", s.createdMillis);
        o.put("expiresMillis", s.expiresMillis);
        o.put("state", s.state);
        o.put("hits", s.hits);
        o.put("lastHitMillis", s.lastHitMillis);
        o.put("alertId", s.alertId);
        o.put("removedBy", s.removedBy);
        o.put("removedMillis", s.removedMillis);
        return o;
    }
}
