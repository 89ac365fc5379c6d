package io.amoskys.alerts.internal;

import io.amoskys.api.alert.AlertState;
import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Score;
import io.amoskys.api.event.Severity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * An open alert as the store's writer keeps it in memory for grouping: its counters, and the
 * evidence added since the last commit. Only the writer thread touches it. Memory per alert is
 * bounded: at most {@link #MAX_TAGS} tags, {@link #MAX_MODELS} model versions, and one 64-bit
 * hash per kept event id.
 */
final class OpenAlert {
    static final int MAX_TAGS = 64;
    static final int MAX_MODELS = 32;

    final String id;
    final String rule;
    final String entity;
    final String key;
    String title;
    AlertState state;
    Severity severity;
    long count;
    long firstSeenNs;
    long lastSeenNs;
    long createdMs;
    long lastAdmitMs;
    long stateMs;
    final LinkedHashSet<String> tags = new LinkedHashSet<>();
    Map<String, String> groupBy = Map.of();
    final LinkedHashSet<String> modelVersions = new LinkedHashSet<>();
    String explanation;
    int eventsKept;
    long eventsDropped;
    int scoresKept;
    long scoresDropped;
    /** Hashes of the kept event ids, to keep each id once; dropped once the alert holds as many as it may. */
    private long[] eventHashes = new long[0];

    // Since the last commit.
    final List<String> newEventIds = new ArrayList<>();
    final List<Score> newScores = new ArrayList<>();
    /** Not in the database yet: its insert is pending. */
    boolean inserting;
    boolean dirty;

    OpenAlert(String id, String rule, String entity) {
        this.id = id;
        this.rule = rule;
        this.entity = entity;
        this.key = key(rule, entity);
    }

    static String key(String rule, String entity) {
        return rule + '\u0000' + entity;
    }

    /** A new alert from the first one the rule raised. */
    static OpenAlert first(String id, Alert alert, String rule, String entity, long eventNs, long nowMs, StoreSettings s) {
        OpenAlert o = new OpenAlert(id, rule, entity);
        o.title = Text.cut(alert.title(), AlertSchema.TITLE);
        o.state = AlertState.NEW;
        o.severity = alert.severity();
        o.firstSeenNs = eventNs;
        o.lastSeenNs = eventNs;
        o.createdMs = nowMs;
        o.lastAdmitMs = nowMs;
        o.stateMs = nowMs;
        o.groupBy = alert.groupBy();
        o.explanation = Explanations.of(alert);
        o.inserting = true;
        o.count = 0;
        o.absorb(alert, eventNs, nowMs, s);
        return o;
    }

    /** Whether an alert at {@code eventNs} falls in this alert's grouping window. */
    boolean within(long eventNs, long windowNanos) {
        return eventNs >= firstSeenNs - windowNanos && eventNs <= lastSeenNs + windowNanos;
    }

    /**
     * Counts an alert into this one: count, times, severity, tags, model versions, evidence.
     *
     * @return whether it raised the severity
     */
    boolean absorb(Alert alert, long eventNs, long nowMs, StoreSettings s) {
        count++;
        firstSeenNs = Math.min(firstSeenNs, eventNs);
        lastSeenNs = Math.max(lastSeenNs, eventNs);
        lastAdmitMs = Math.max(lastAdmitMs, nowMs);
        boolean escalated = alert.severity().compareTo(severity) > 0;
        if (escalated) {
            severity = alert.severity();
        }
        for (String tag : alert.tags()) {
            if (tags.size() >= MAX_TAGS) {
                break;
            }
            tags.add(Text.cut(Text.oneLine(tag), 128));
        }
        for (String eventId : alert.eventIds()) {
            offerEvent(eventId, s);
        }
        for (Score score : alert.scores()) {
            if (modelVersions.size() < MAX_MODELS) {
                modelVersions.add(Text.cut(Text.oneLine(score.detector() + "@" + score.modelVersion()), 128));
            }
            for (String eventId : score.eventIds()) {
                offerEvent(eventId, s);
            }
            if (scoresKept < s.maxScores()) {
                scoresKept++;
                newScores.add(score);
            } else {
                scoresDropped++;
            }
        }
        dirty = true;
        return escalated;
    }

    private void offerEvent(String eventId, StoreSettings s) {
        if (eventId == null || eventId.isEmpty()) {
            return;
        }
        if (eventsKept >= s.maxEventIds()) {
            eventsDropped++;
            eventHashes = new long[0];
            return;
        }
        String kept = Text.cut(Text.oneLine(eventId), AlertSchema.EVENT_ID);
        if (!remember(Text.hash(kept))) {
            return; // already evidence of this alert
        }
        eventsKept++;
        newEventIds.add(kept);
    }

    /** Adds the hash unless it is there already. */
    boolean remember(long hash) {
        for (int i = 0; i < eventsKept && i < eventHashes.length; i++) {
            if (eventHashes[i] == hash) {
                return false;
            }
        }
        if (eventHashes.length <= eventsKept) {
            eventHashes = Arrays.copyOf(eventHashes, Math.max(8, eventHashes.length * 2));
        }
        eventHashes[eventsKept] = hash;
        return true;
    }

    /** Restores the hash of an id kept before (when loaded from the database). */
    void restoreKept(String eventId) {
        if (eventHashes.length <= eventsKept) {
            eventHashes = Arrays.copyOf(eventHashes, Math.max(8, eventHashes.length * 2));
        }
        eventHashes[eventsKept++] = Text.hash(eventId);
    }

    /** After a commit: the pending evidence is in the database. */
    void committed() {
        newEventIds.clear();
        newScores.clear();
        inserting = false;
        dirty = false;
    }
}
