package io.amoskys.web.internal;

import io.amoskys.api.admin.BusTraffic;
import io.amoskys.api.admin.PlatformStatus;
import io.amoskys.api.admin.RouteDTO;
import io.amoskys.api.admin.StepDTO;
import io.amoskys.api.alert.AlertDTO;
import io.amoskys.api.alert.AlertQuery;
import io.amoskys.api.alert.AlertStore;
import io.amoskys.api.event.Severity;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;

/**
 * What the dashboard shows at a glance, as JSON: the routes' counters and the events the bus took
 * in per agent (the page turns their differences into events/s), the open alerts per severity and the threat level they make, and
 * (for the overview) the latest alerts and the entities with the most serious open alerts.
 */
final class Snapshot {
    /** Open alerts read to rank entities: the newest ones, a bounded page. */
    static final int ENTITY_SCAN = 500;

    private final PlatformStatus platform;
    private final AlertStore alerts;
    /** The bus's per-agent counts; it may be away (null). */
    private final Supplier<BusTraffic> traffic;

    Snapshot(PlatformStatus platform, AlertStore alerts, Supplier<BusTraffic> traffic) {
        this.platform = platform;
        this.alerts = alerts;
        this.traffic = traffic;
    }

    /** Open alerts per severity are recounted when a newer alert came in, else at most this often. */
    static final long RECOUNT_MILLIS = 5_000;

    private Map<String, Long> counted; // the last counts, with the newest alert and the time they were made
    private String countedNewest;
    private long countedAtMillis;

    /** The part that changes every second, pushed over {@code /live}. Called from one thread at a time. */
    synchronized JsonObject live() {
        long now = System.currentTimeMillis();
        JsonObject o = new JsonObject();
        o.put("timeMillis", now);
        JsonArray routes = new JsonArray();
        for (RouteDTO r : platform.routes()) {
            JsonObject route = new JsonObject();
            route.put("id", r.id);
            route.put("from", r.from);
            route.put("state", r.state);
            route.put("exchanges", r.exchangesTotal);
            route.put("failed", r.exchangesFailed);
            route.put("inflight", r.exchangesInflight);
            route.put("steps", steps(r.steps));
            routes.add(route);
        }
        o.put("routes", routes);
        BusTraffic bus = traffic.get();
        o.put("agents", bus == null ? new JsonObject() : new JsonObject(bus.eventsByAgent()));
        o.put("deadLettered", platform.deadLettered());
        AlertQuery newest = new AlertQuery();
        newest.limit = 1;
        List<AlertDTO> latest = alerts.list(newest);
        String marker = latest.isEmpty() ? null : latest.get(0).id + "@" + latest.get(0).lastAdmittedMillis;
        // Counting open alerts reads the whole alert table: not every second when nothing new came in.
        if (counted == null || !java.util.Objects.equals(marker, countedNewest) || now - countedAtMillis >= RECOUNT_MILLIS) {
            counted = openBySeverity();
            countedNewest = marker;
            countedAtMillis = now;
        }
        o.put("openAlerts", new JsonObject(counted));
        o.put("threat", counted.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey)
                .findFirst().orElse("none"));
        o.put("latestAlert", marker);
        return o;
    }

    /**
     * The route's steps for its graph, with their counters: {@code path}, {@code kind}, {@code label},
     * {@code in} (exchanges that entered), {@code out} (left without an exception), {@code failed},
     * {@code meanMicros} and the {@code steps} inside (a multicast's branches, a pipeline's steps).
     */
    private static JsonArray steps(List<StepDTO> steps) {
        JsonArray list = new JsonArray();
        for (StepDTO s : steps == null ? List.<StepDTO>of() : steps) {
            JsonObject step = new JsonObject();
            step.put("path", s.path);
            step.put("kind", s.kind);
            step.put("label", s.label);
            step.put("in", s.exchanges);
            step.put("out", s.completed);
            step.put("failed", s.failed);
            step.put("meanMicros", Math.round(s.meanMicros * 10) / 10.0); // a tenth of a microsecond is plenty, and keeps the event short
            if (s.steps != null && !s.steps.isEmpty()) {
                step.put("steps", steps(s.steps));
            }
            list.add(step);
        }
        return list;
    }

    /** The overview page: {@link #live()} with the latest alerts and the riskiest entities. */
    synchronized JsonObject overview() {
        counted = null; // a page that asks gets fresh counts
        JsonObject o = live();
        AlertQuery recent = new AlertQuery();
        recent.limit = 10;
        o.put("recentAlerts", new JsonArray(alerts.list(recent).stream().map(Snapshot::brief).toList()));
        o.put("topEntities", topEntities());
        return o;
    }

    /** Open alerts per severity, highest first; counted from the cumulative "at least" counts. */
    private Map<String, Long> openBySeverity() {
        Map<String, Long> out = new LinkedHashMap<>();
        long higher = 0;
        Severity[] severities = Severity.values();
        for (int i = severities.length - 1; i >= 0; i--) {
            AlertQuery q = new AlertQuery();
            q.states = List.of("open");
            q.minSeverity = severities[i].name().toLowerCase(Locale.ROOT);
            long atLeast = alerts.count(q);
            out.put(q.minSeverity, atLeast - higher);
            higher = atLeast;
        }
        return out;
    }

    private JsonArray topEntities() {
        AlertQuery q = new AlertQuery();
        q.states = List.of("open");
        q.limit = ENTITY_SCAN;
        Map<String, Entity> byEntity = new LinkedHashMap<>();
        for (AlertDTO a : alerts.list(q)) {
            byEntity.computeIfAbsent(a.entity, Entity::new).add(a);
        }
        return new JsonArray(byEntity.values().stream()
                .sorted(Comparator.comparingInt((Entity e) -> e.worst).thenComparingLong(e -> e.alerts).reversed())
                .limit(10).map(Entity::json).toList());
    }

    /** One entity's open alerts: how many, how serious at worst, and since when. */
    private static final class Entity {
        final String name;
        int worst = -1;
        long alerts;
        long lastMillis;

        Entity(String name) {
            this.name = name;
        }

        void add(AlertDTO a) {
            worst = Math.max(worst, Severity.valueOf(a.severity.toUpperCase(Locale.ROOT)).ordinal());
            alerts++;
            lastMillis = Math.max(lastMillis, a.lastAdmittedMillis);
        }

        JsonObject json() {
            JsonObject o = new JsonObject();
            o.put("entity", name);
            o.put("worst", Severity.values()[worst].name().toLowerCase(Locale.ROOT));
            o.put("openAlerts", alerts);
            o.put("lastMillis", lastMillis);
            return o;
        }
    }

    static JsonObject brief(AlertDTO a) {
        JsonObject o = new JsonObject();
        o.put("id", a.id);
        o.put("severity", a.severity);
        o.put("state", a.state);
        o.put("rule", a.rule);
        o.put("entity", a.entity);
        o.put("title", a.title);
        o.put("count", a.count);
        o.put("lastAdmittedMillis", a.lastAdmittedMillis);
        return o;
    }
}
