package io.amoskys.alerts.internal;

import static io.amoskys.alerts.internal.Alerts.T0;
import static io.amoskys.alerts.internal.Alerts.alert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.alert.Admission;
import io.amoskys.api.alert.AlertDTO;
import io.amoskys.api.alert.AlertQuery;
import io.amoskys.api.alert.AlertState;
import io.amoskys.api.alert.AlertTransition;
import io.amoskys.api.alert.SuppressionDTO;
import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Severity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DerbyAlertStoreTest {
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(1_764_115_200_000L);
    private DerbyAlertStore store;

    private DerbyAlertStore open(StoreSettings settings) throws Exception {
        store = new DerbyAlertStore(dir.resolve("alerts"), settings, clock);
        return store;
    }

    private DerbyAlertStore open() throws Exception {
        return open(StoreSettings.defaults());
    }

    private DerbyAlertStore reopen() throws Exception {
        StoreSettings settings = store.settings();
        store.close();
        return open(settings);
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private static AlertQuery query() {
        return new AlertQuery();
    }

    private static AlertQuery inStates(String... states) {
        AlertQuery q = new AlertQuery();
        q.states = List.of(states);
        return q;
    }

    private static AlertTransition change(String id, String state, String user, String comment) {
        AlertTransition t = new AlertTransition();
        t.alertId = id;
        t.state = state;
        t.user = user;
        t.comment = comment;
        return t;
    }

    @Test
    void newThenGroupedWithinTheWindowThenNewAfterIt() throws Exception {
        open();
        Admission first = store.admit(alert("portscan", "10.0.0.5", T0, Severity.MEDIUM, "flow:1", "flow:2"));
        assertEquals(Admission.Outcome.NEW, first.outcome());
        assertTrue(first.passesOn());

        Admission second = store.admit(alert("portscan", "10.0.0.5", T0 + 5 * MINUTE, Severity.MEDIUM, "flow:2", "flow:3"));
        assertEquals(Admission.grouped(first.alertId(), false), second);
        assertFalse(second.passesOn());

        Admission escalated = store.admit(alert("portscan", "10.0.0.5", T0 + 9 * MINUTE, Severity.CRITICAL, "flow:4"));
        assertEquals(Admission.grouped(first.alertId(), true), escalated);

        // Another entity, another rule: alerts of their own.
        assertEquals(Admission.Outcome.NEW, store.admit(alert("portscan", "10.0.0.6", T0)).outcome());
        assertEquals(Admission.Outcome.NEW, store.admit(alert("bruteforce", "10.0.0.5", T0)).outcome());

        // Past the window (10 minutes after the last one counted): a new alert.
        Admission later = store.admit(alert("portscan", "10.0.0.5", T0 + 20 * MINUTE));
        assertEquals(Admission.Outcome.NEW, later.outcome());
        assertNotEquals(first.alertId(), later.alertId());

        store.sync();
        AlertDTO a = store.get(first.alertId()).orElseThrow();
        assertEquals(3, a.count);
        assertEquals("CRITICAL", a.severity);
        assertEquals(T0, a.firstSeenNanos);
        assertEquals(T0 + 9 * MINUTE, a.lastSeenNanos);
        assertEquals(List.of("flow:1", "flow:2", "flow:3", "flow:4"), a.eventIds, "each evidence id once, in order");
        assertEquals(3, a.scores.size());
        assertEquals("iforest", a.scores.get(0).detector);
        assertEquals("temporal.syn_rate_1s", a.scores.get(0).contributions.get(0).feature);
        assertEquals(0.41, a.scores.get(0).contributions.get(0).weight);
        assertEquals(List.of("iforest@1.0.2"), a.modelVersions);
        assertEquals(List.of("attack.t1046", "attack.discovery"), a.tags);
        assertEquals(Map.of("src_ip", "10.0.0.5"), a.groupBy);
        assertEquals("new", a.state);
        assertEquals(List.of(), a.history);
        assertEquals("iforest 1.0.2: 0.930 from temporal.syn_rate_1s = 812 (weight 0.410), domain.fanout_entropy = 4.200 (weight 0.220)",
                a.explanation, "what drove it, from the first alert's evidence");
        assertEquals(4, store.count(query()));
        assertEquals(4, store.metrics().admitted(Admission.Outcome.NEW));
        assertEquals(2, store.metrics().admitted(Admission.Outcome.GROUPED));
    }

    @Test
    void alertsOutOfOrderFindTheOpenAlertOfTheirTime() throws Exception {
        open();
        String early = store.admit(alert("r", "e", T0)).alertId();
        String late = store.admit(alert("r", "e", T0 + 30 * MINUTE)).alertId();
        assertNotEquals(early, late);
        assertEquals(Admission.grouped(early, false), store.admit(alert("r", "e", T0 + MINUTE)), "found in the database");
        assertEquals(Admission.grouped(late, false), store.admit(alert("r", "e", T0 + 31 * MINUTE)));
        assertEquals(Admission.grouped(early, false), store.admit(alert("r", "e", T0 + 2 * MINUTE)), "found in memory");
        store.sync();
        assertEquals(3, store.get(early).orElseThrow().count);
        assertEquals(2, store.get(late).orElseThrow().count);
        assertEquals(T0 + 2 * MINUTE, store.get(early).orElseThrow().lastSeenNanos);
    }

    @Test
    void alertsWithoutEventTimeGroupByTheClock() throws Exception {
        open();
        Admission first = store.admit(alert("r", "e", 0));
        clock.advance(Duration.ofMinutes(3));
        assertEquals(Admission.Outcome.GROUPED, store.admit(alert("r", "e", 0)).outcome());
        clock.advance(Duration.ofMinutes(30));
        assertEquals(Admission.Outcome.NEW, store.admit(alert("r", "e", 0)).outcome());
        store.sync();
        assertEquals(2, store.get(first.alertId()).orElseThrow().count);
    }

    @Test
    void theSameAlertAdmittedTwiceIsStoredOnce() throws Exception {
        open();
        Alert alert = alert("r", "e", T0);
        Admission first = store.admit(alert);
        store.transition(change(first.alertId(), "resolved", "ada", null));
        assertEquals(Admission.grouped(first.alertId(), false), store.admit(alert), "a replay of the same alert");
        assertEquals(1, store.count(query()));
        // Another rule's alert that happens to reuse the id is kept under an id of its own.
        Alert clash = Alert.builder().id(alert.id()).rule("other").entityId("e").timestampNanos(T0).title("t").build();
        Admission other = store.admit(clash);
        assertEquals(Admission.Outcome.NEW, other.outcome());
        assertTrue(other.alertId().startsWith(alert.id().substring(0, 20)), other.alertId());
        assertEquals(2, store.count(query()));
    }

    @Test
    void acknowledgedAlertsStillGroupButClosedOnesDoNot() throws Exception {
        open();
        String id = store.admit(alert("r", "e", T0)).alertId();
        store.transition(change(id, "ack", "otto", "looking"));
        assertEquals(Admission.grouped(id, false), store.admit(alert("r", "e", T0 + MINUTE)));
        assertEquals("acknowledged", store.get(id).orElseThrow().state);
        store.transition(change(id, "resolved", "otto", "blocked at the firewall"));
        Admission after = store.admit(alert("r", "e", T0 + 2 * MINUTE));
        assertEquals(Admission.Outcome.NEW, after.outcome());
        // And after a restart, the store finds the open one in the database.
        reopen();
        assertEquals(Admission.grouped(after.alertId(), false), store.admit(alert("r", "e", T0 + 3 * MINUTE)));
        store.sync(); // a grouped count is committed with its batch, after admit returned
        assertEquals(2, store.get(after.alertId()).orElseThrow().count);
    }

    @Test
    void transitionsFollowTheLifecycleAndAreRecorded() throws Exception {
        open();
        String a = store.admit(alert("r", "a", T0)).alertId();
        String b = store.admit(alert("r", "b", T0)).alertId();
        String c = store.admit(alert("r", "c", T0)).alertId();

        AlertDTO acked = store.transition(change(a, "acknowledged", "otto", "on it"));
        assertEquals("acknowledged", acked.state);
        assertEquals(1, acked.history.size());
        assertEquals("otto", acked.history.get(0).user);
        assertEquals("new", acked.history.get(0).fromState);
        assertEquals("acknowledged", acked.history.get(0).toState);
        assertEquals("on it", acked.history.get(0).comment);
        assertEquals(clock.millis(), acked.history.get(0).atMillis);

        clock.advance(Duration.ofMinutes(5));
        AlertDTO resolved = store.transition(change(a, "resolved", "ada", null));
        assertEquals(List.of("acknowledged", "resolved"), resolved.history.stream().map(h -> h.toState).toList());
        assertNull(resolved.history.get(1).comment);
        assertEquals(clock.millis(), resolved.stateChangedMillis);

        // New straight to false positive or resolved is allowed.
        assertEquals("false_positive", store.transition(change(b, "false-positive", "ada", "our scanner")).state);
        assertEquals("resolved", store.transition(change(c, "resolved", null, null)).state);
        assertEquals("unknown", store.get(c).orElseThrow().history.get(0).user);

        IllegalStateException again = assertThrows(IllegalStateException.class, () -> store.transition(change(a, "resolved", "ada", null)));
        assertEquals("alert " + a + " is resolved already", again.getMessage());
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> store.transition(change(b, "acknowledged", "ada", null)));
        assertTrue(closed.getMessage().contains("is false_positive: it cannot become acknowledged"), closed.getMessage());
        String d = store.admit(alert("r", "d", T0)).alertId();
        store.transition(change(d, "ack", "otto", null));
        assertThrows(IllegalStateException.class, () -> store.transition(change(d, "ack", "otto", null)));
        assertThrows(IllegalArgumentException.class, () -> store.transition(change(d, "new", "otto", null)));
        assertThrows(IllegalArgumentException.class, () -> store.transition(change(d, "closed-ish", "otto", null)));
        NoSuchElementException unknown = assertThrows(NoSuchElementException.class, () -> store.transition(change("nope", "ack", "otto", null)));
        assertEquals("no alert nope (amoskys:alerts lists them)", unknown.getMessage());
        assertEquals(1, store.get(d).orElseThrow().history.size(), "refused changes leave no trace");

        // The trail survives a restart.
        reopen();
        assertEquals(2, store.get(a).orElseThrow().history.size());
        assertEquals(1, store.metrics().inState(AlertState.ACKNOWLEDGED));
        assertEquals(2, store.metrics().inState(AlertState.RESOLVED));
        assertEquals(1, store.metrics().inState(AlertState.FALSE_POSITIVE));
    }

    @Test
    void suppressionsApplyLiveAndStopAtExpiry() throws Exception {
        open();
        SuppressionDTO s = new SuppressionDTO();
        s.rule = "portscan";
        s.entity = "10.0.0.5";
        s.reason = "the vulnerability scanner";
        s.createdBy = "ada";
        s.expiresMillis = clock.millis() + TimeUnit.HOURS.toMillis(1);
        SuppressionDTO made = store.suppress(s);
        assertTrue(made.id.startsWith("s-"), made.id);
        assertEquals("active", made.state);
        assertEquals("ada", made.createdBy);

        Admission suppressed = store.admit(alert("portscan", "10.0.0.5", T0));
        assertEquals(Admission.suppressed(made.id), suppressed);
        assertFalse(suppressed.passesOn());
        assertEquals(Admission.suppressed(made.id), store.admit(alert("portscan", "10.0.0.5", T0 + MINUTE)));
        assertEquals(0, store.count(query()), "suppressed alerts are not stored");
        assertEquals(Admission.Outcome.NEW, store.admit(alert("portscan", "10.0.0.6", T0)).outcome());
        assertEquals(Admission.Outcome.NEW, store.admit(alert("other", "10.0.0.5", T0)).outcome());
        assertEquals(2, store.suppressions(false).get(0).hits, "hits counted, written or not");

        clock.advance(Duration.ofMinutes(61));
        assertEquals(Admission.Outcome.NEW, store.admit(alert("portscan", "10.0.0.5", T0)).outcome(), "expired: applies no more");
        assertEquals(List.of(), store.suppressions(false));
        List<SuppressionDTO> all = store.suppressions(true);
        assertEquals("expired", all.get(0).state);
        assertEquals(2, all.get(0).hits);

        reopen();
        assertEquals(2, store.suppressions(true).get(0).hits, "hits were written");
    }

    @Test
    void patternSuppressionsAndRemoval() throws Exception {
        open();
        SuppressionDTO s = new SuppressionDTO();
        s.rule = "*";
        s.entity = "10.0.0.*";
        s.createdBy = "ada";
        String id = store.suppress(s).id;
        assertEquals(Admission.Outcome.SUPPRESSED, store.admit(alert("a", "10.0.0.9", T0)).outcome());
        assertEquals(Admission.Outcome.SUPPRESSED, store.admit(alert("b", "10.0.0.10", T0)).outcome());
        assertEquals(Admission.Outcome.NEW, store.admit(alert("a", "10.0.1.9", T0)).outcome());

        SuppressionDTO removed = store.unsuppress(id, "otto");
        assertEquals("removed", removed.state);
        assertEquals("otto", removed.removedBy);
        assertEquals(2, removed.hits);
        assertEquals(Admission.Outcome.NEW, store.admit(alert("a", "10.0.0.9", T0)).outcome());
        assertThrows(IllegalStateException.class, () -> store.unsuppress(id, "otto"));
        assertThrows(NoSuchElementException.class, () -> store.unsuppress("s-nope", "otto"));

        SuppressionDTO everything = new SuppressionDTO();
        everything.rule = "*";
        everything.entity = "*";
        assertThrows(IllegalArgumentException.class, () -> store.suppress(everything));
        SuppressionDTO noEntity = new SuppressionDTO();
        noEntity.rule = "a";
        assertThrows(IllegalArgumentException.class, () -> store.suppress(noEntity));
        SuppressionDTO past = new SuppressionDTO();
        past.entity = "x";
        past.expiresMillis = clock.millis() - 1;
        assertThrows(IllegalArgumentException.class, () -> store.suppress(past));
    }

    @Test
    void tooManySuppressionsAreRefused() throws Exception {
        open(StoreSettings.defaults().withMaxActiveSuppressions(2));
        for (int i = 0; i < 2; i++) {
            SuppressionDTO s = new SuppressionDTO();
            s.entity = "e" + i;
            store.suppress(s);
        }
        SuppressionDTO third = new SuppressionDTO();
        third.entity = "e3";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.suppress(third));
        assertTrue(e.getMessage().contains("maxActiveSuppressions"), e.getMessage());
    }

    @Test
    void falsePositiveCanSuppressItsRuleOnItsEntity() throws Exception {
        open();
        String id = store.admit(alert("beaconing", "host-7", T0)).alertId();
        AlertTransition fp = change(id, "false_positive", "ada", "backup agent phoning home");
        fp.suppress = true;
        fp.suppressForMillis = TimeUnit.DAYS.toMillis(7);
        AlertDTO a = store.transition(fp);
        assertEquals("false_positive", a.state);
        String suppressionId = a.history.get(0).suppressionId;
        assertNotNull(suppressionId);

        SuppressionDTO s = store.suppressions(false).get(0);
        assertEquals(suppressionId, s.id);
        assertEquals("beaconing", s.rule);
        assertEquals("host-7", s.entity);
        assertEquals("backup agent phoning home", s.reason);
        assertEquals(id, s.alertId);
        assertEquals(clock.millis() + TimeUnit.DAYS.toMillis(7), s.expiresMillis);

        assertEquals(Admission.suppressed(suppressionId), store.admit(alert("beaconing", "host-7", T0 + MINUTE)));
        assertEquals(Admission.Outcome.NEW, store.admit(alert("beaconing", "host-8", T0)).outcome());

        AlertTransition wrong = change(store.admit(alert("x", "y", T0)).alertId(), "resolved", "ada", null);
        wrong.suppress = true;
        assertThrows(IllegalArgumentException.class, () -> store.transition(wrong));
    }

    /** Admits an alert and marks it a false positive that suppresses its rule on its entity; the suppression's id. */
    private String falsePositiveSuppressing(String rule, String entity) throws Exception {
        String id = store.admit(alert(rule, entity, T0)).alertId();
        AlertTransition fp = change(id, "false_positive", "ada", null);
        fp.suppress = true;
        return store.transition(fp).history.get(0).suppressionId;
    }

    @Test
    void aFalsePositiveOnAnEntityNamedLikeAPatternSuppressesThatEntityAlone() throws Exception {
        open();
        // An MQTT topic may be named plant/*: the watched network chose it, not the operator.
        String suppressionId = falsePositiveSuppressing("sensor_spike", "plant/*");
        assertEquals("plant/\\*", store.suppression(suppressionId).orElseThrow().entity, "stored escaped, as a pattern for itself");

        assertEquals(Admission.Outcome.NEW, store.admit(alert("sensor_spike", "plant/boiler", T0)).outcome());
        assertEquals(Admission.suppressed(suppressionId), store.admit(alert("sensor_spike", "plant/*", T0 + MINUTE)));
        reopen();
        assertEquals(Admission.Outcome.NEW, store.admit(alert("sensor_spike", "plant/turbine", T0)).outcome(), "after a restart too");
        assertEquals(Admission.suppressed(suppressionId), store.admit(alert("sensor_spike", "plant/*", T0 + 2 * MINUTE)));
    }

    @Test
    void anEscapedWildcardMatchesItselfInSuppressionsAndFilters() throws Exception {
        open();
        SuppressionDTO s = new SuppressionDTO();
        s.entity = "a\\?b*";
        store.suppress(s);
        assertEquals(Admission.Outcome.SUPPRESSED, store.admit(alert("r", "a?bcd", T0)).outcome());
        assertEquals(Admission.Outcome.NEW, store.admit(alert("r", "axbcd", T0)).outcome());
        SuppressionDTO windows = new SuppressionDTO();
        windows.entity = "C:\\Temp\\x"; // no wildcard: its backslashes mean themselves, as they always did
        store.suppress(windows);
        assertEquals(Admission.Outcome.SUPPRESSED, store.admit(alert("r", "C:\\Temp\\x", T0)).outcome());

        String star = store.admit(alert("r", "plant/*", T0)).alertId();
        String boiler = store.admit(alert("r", "plant/boiler", T0)).alertId();
        String backslash = store.admit(alert("r", "plant\\*", T0)).alertId();
        AlertQuery q = query();
        q.entity = "plant/\\*";
        assertEquals(List.of(star), ids(store.list(q)));
        q.entity = "plant/*";
        assertEquals(Set.of(star, boiler), Set.copyOf(ids(store.list(q))));
        q.entity = "plant\\\\*";
        assertEquals(List.of(backslash), ids(store.list(q)), "an escaped backslash, then any run");
    }

    @Test
    void evidenceIsBounded() throws Exception {
        open(StoreSettings.defaults().withEvidence(5, 2));
        String id = store.admit(alert("r", "e", T0, Severity.LOW, "ev:1", "ev:2", "ev:3")).alertId();
        for (int i = 0; i < 10; i++) {
            store.admit(alert("r", "e", T0 + i, Severity.LOW, "ev:3", "ev:" + (10 + i)));
        }
        store.sync();
        AlertDTO a = store.get(id).orElseThrow();
        assertEquals(11, a.count);
        assertEquals(List.of("ev:1", "ev:2", "ev:3", "ev:10", "ev:11"), a.eventIds);
        assertEquals(5, a.eventIdsKept);
        assertTrue(a.eventIdsDropped >= 8, "dropped " + a.eventIdsDropped);
        assertEquals(2, a.scores.size());
        assertEquals(9, a.scoresDropped);

        // Reopened, it goes on from what is stored, with no id twice.
        reopen();
        String other = store.admit(alert("r", "f", T0, Severity.LOW, "ev:1")).alertId();
        store.close();
        open(StoreSettings.defaults().withEvidence(3, 2));
        store.admit(alert("r", "f", T0 + 1, Severity.LOW, "ev:1", "ev:2"));
        store.sync();
        assertEquals(List.of("ev:1", "ev:2"), store.get(other).orElseThrow().eventIds);
    }

    @Test
    void memoryForGroupingIsBoundedAndForgottenAlertsAreFoundAgain() throws Exception {
        open(StoreSettings.defaults().withOpenAlertCache(3));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(store.admit(alert("sweep", "10.0.0." + i, T0)).alertId());
        }
        assertTrue(store.remembered() <= 3, "remembered " + store.remembered());
        for (int i = 0; i < 20; i++) {
            assertEquals(Admission.grouped(ids.get(i), false), store.admit(alert("sweep", "10.0.0." + i, T0 + MINUTE)));
        }
        assertEquals(20, store.count(query()));
        assertTrue(store.remembered() <= 3);
    }

    @Test
    void concurrentAlertsOfOneRuleAndEntityMakeOneAlert() throws Exception {
        open();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Admission>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int n = i;
                results.add(pool.submit(() -> store.admit(alert("flood", "10.0.0." + (n % 4), T0 + n))));
            }
            int created = 0;
            for (Future<Admission> f : results) {
                created += f.get().outcome() == Admission.Outcome.NEW ? 1 : 0;
            }
            assertEquals(4, created);
        } finally {
            pool.shutdownNow();
        }
        store.sync();
        AlertQuery q = query();
        q.entity = "10.0.0.*";
        assertEquals(400, store.list(q).stream().mapToLong(a -> a.count).sum());
    }

    @Test
    void listFiltersAndPages() throws Exception {
        open();
        String a = store.admit(alert("portscan", "10.0.0.1", T0, Severity.LOW)).alertId();
        clock.advance(Duration.ofMinutes(1));
        String b = store.admit(alert("portscan", "10.0.0.2", T0, Severity.HIGH)).alertId();
        clock.advance(Duration.ofMinutes(1));
        String c = store.admit(Alert.builder().id("c-1").rule("dns_tunnel").entityId("host_1").timestampNanos(T0)
                .severity(Severity.CRITICAL).title("t").tags(List.of("attack.t1071.004")).build()).alertId();
        store.transition(change(a, "ack", "otto", null));

        assertEquals(List.of(c, b, a), ids(store.list(query())), "most recently admitted first");
        AlertQuery open = query();
        open.states = List.of("new");
        assertEquals(List.of(c, b), ids(store.list(open)));
        open.states = List.of("open");
        assertEquals(3, store.count(open));
        open.states = List.of("acknowledged,resolved");
        assertEquals(List.of(a), ids(store.list(open)));

        AlertQuery severe = query();
        severe.minSeverity = "high";
        assertEquals(List.of(c, b), ids(store.list(severe)));
        assertThrows(IllegalArgumentException.class, () -> {
            AlertQuery bad = query();
            bad.minSeverity = "urgent";
            store.list(bad);
        });

        AlertQuery rule = query();
        rule.rule = "port*";
        assertEquals(List.of(b, a), ids(store.list(rule)));
        rule.rule = "dns_tunnel";
        assertEquals(List.of(c), ids(store.list(rule)));
        AlertQuery entity = query();
        entity.entity = "host_?";
        assertEquals(List.of(c), ids(store.list(entity)));
        entity.entity = "host%";
        assertEquals(List.of(), ids(store.list(entity)), "SQL wildcards are taken literally");

        AlertQuery tag = query();
        tag.tag = "attack.t1046";
        assertEquals(List.of(b, a), ids(store.list(tag)));
        tag.tag = "attack.t1071.004";
        assertEquals(List.of(c), ids(store.list(tag)));
        tag.tag = "attack.t10";
        assertEquals(0, store.count(tag), "whole tags only");

        AlertQuery since = query();
        since.sinceMillis = clock.millis() - TimeUnit.SECONDS.toMillis(90);
        assertEquals(List.of(c, b), ids(store.list(since)));

        AlertQuery page = query();
        page.limit = 2;
        assertEquals(List.of(c, b), ids(store.list(page)));
        page.offset = 2;
        assertEquals(List.of(a), ids(store.list(page)));
        assertEquals(3, store.count(page));
        page.limit = 0;
        assertThrows(IllegalArgumentException.class, () -> store.list(page));

        AlertQuery prefix = query();
        prefix.idPrefix = "c-";
        assertEquals(List.of(c), ids(store.list(prefix)));

        AlertDTO listed = store.list(query()).get(0);
        assertNull(listed.eventIds, "lists carry no evidence");
        assertNull(listed.history);
    }

    private static List<String> ids(List<AlertDTO> alerts) {
        return alerts.stream().map(a -> a.id).toList();
    }

    @Test
    void retentionRemovesOldClosedAlertsOnly() throws Exception {
        open();
        String resolved = store.admit(alert("r", "a", T0)).alertId();
        String fp = store.admit(alert("r", "b", T0)).alertId();
        String open = store.admit(alert("r", "c", T0)).alertId();
        store.transition(change(resolved, "resolved", "ada", null));
        store.transition(change(fp, "fp", "ada", null));
        SuppressionDTO s = new SuppressionDTO();
        s.entity = "z";
        s.expiresMillis = clock.millis() + 1000;
        store.suppress(s);
        clock.advance(Duration.ofDays(31));
        String recent = store.admit(alert("r", "d", T0)).alertId();
        store.transition(change(recent, "resolved", "ada", null));

        assertEquals(2, store.retain(clock.millis() - TimeUnit.DAYS.toMillis(30)));
        assertTrue(store.get(resolved).isEmpty());
        assertTrue(store.get(fp).isEmpty());
        assertTrue(store.get(open).isPresent(), "open alerts stay whatever their age");
        assertTrue(store.get(recent).isPresent());
        assertEquals(List.of(), store.suppressions(true), "the long-expired suppression went too");
        assertEquals(0, store.metrics().inState(AlertState.FALSE_POSITIVE));
        assertEquals(1, store.metrics().inState(AlertState.RESOLVED));
        assertEquals(0, store.retain(clock.millis() - TimeUnit.DAYS.toMillis(30)));
    }

    @Test
    void everythingSurvivesCloseAndReopen() throws Exception {
        open();
        Admission first = store.admit(alert("r", "e", T0, Severity.HIGH, "ev:1"));
        store.admit(alert("r", "e", T0 + MINUTE, Severity.HIGH, "ev:2"));
        store.transition(change(first.alertId(), "ack", "otto", "mine"));
        SuppressionDTO s = new SuppressionDTO();
        s.rule = "noisy";
        s.entity = "*";
        String sid = store.suppress(s).id;
        reopen();
        AlertDTO a = store.get(first.alertId()).orElseThrow();
        assertEquals(2, a.count);
        assertEquals("acknowledged", a.state);
        assertEquals(List.of("ev:1", "ev:2"), a.eventIds);
        assertEquals(Admission.suppressed(sid), store.admit(alert("noisy", "anything", T0)));
        assertEquals(1, store.metrics().inState(AlertState.ACKNOWLEDGED));
    }

    @Test
    void metricsInThePrometheusFormat() throws Exception {
        open();
        store.admit(alert("r", "e", T0, Severity.HIGH));
        store.admit(alert("r", "e", T0 + 1, Severity.HIGH));
        SuppressionDTO s = new SuppressionDTO();
        s.entity = "q";
        store.suppress(s);
        store.admit(alert("r", "q", T0, Severity.LOW));
        StringBuilder out = new StringBuilder();
        store.writePrometheus(out);
        String text = out.toString();
        assertTrue(text.contains("amoskys_alerts_admitted_total{outcome=\"new\",severity=\"high\"} 1\n"), text);
        assertTrue(text.contains("amoskys_alerts_admitted_total{outcome=\"grouped\",severity=\"high\"} 1\n"), text);
        assertTrue(text.contains("amoskys_alerts_admitted_total{outcome=\"suppressed\",severity=\"low\"} 1\n"), text);
        assertTrue(text.contains("amoskys_alerts{state=\"new\"} 1\n"), text);
        assertTrue(text.contains("amoskys_alerts_suppressions_active 1\n"), text);
        assertTrue(text.contains("amoskys_alerts_store_errors_total 0\n"), text);
        assertTrue(text.contains("# TYPE amoskys_alerts gauge\n"), text);
    }

    @Test
    void openAlertsPastTheCapAreResolvedNewLowAndStaleFirst() throws Exception {
        open(StoreSettings.defaults().withMaxOpenAlerts(5));
        Map<String, String> ids = new java.util.LinkedHashMap<>();
        for (String[] a : new String[][] {{"low-1", "LOW"}, {"low-2", "LOW"}, {"high-1", "HIGH"}, {"low-3", "LOW"}, {"med-1", "MEDIUM"}}) {
            clock.advance(Duration.ofSeconds(1));
            ids.put(a[0], store.admit(alert("portscan", a[0], T0, Severity.valueOf(a[1]))).alertId());
        }
        store.transition(change(ids.get("low-1"), "ack", "otto", "on it"));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Admission.Outcome.GROUPED, store.admit(alert("portscan", "low-2", T0 + MINUTE, Severity.LOW)).outcome());
        assertEquals(5, store.count(inStates("open")), "at the cap, nothing is closed");

        List<String> resolvedInTurn = new ArrayList<>();
        for (String high : List.of("high-2", "high-3", "high-4", "high-5")) {
            clock.advance(Duration.ofSeconds(1));
            ids.put(high, store.admit(alert("portscan", high, T0, Severity.HIGH)).alertId());
            store.sync(); // the writer makes room once it has answered the batch that went past the cap
            assertEquals(5, store.count(inStates("open")), "one past the cap, one resolved");
            store.list(inStates("resolved")).stream().map(a -> a.entity).filter(e -> !resolvedInTurn.contains(e))
                    .forEach(resolvedInTurn::add);
        }
        // The lowest severity first, the least recently raised of it first (low-2 was raised again);
        // the acknowledged low-1 stays while new alerts remain, whatever their severity.
        assertEquals(List.of("low-3", "low-2", "med-1", "high-1"), resolvedInTurn);
        assertEquals("acknowledged", store.get(ids.get("low-1")).orElseThrow().state);

        AlertDTO closed = store.get(ids.get("low-3")).orElseThrow();
        assertEquals(1, closed.history.size());
        assertEquals(DerbyAlertStore.STORE_USER, closed.history.get(0).user);
        assertEquals("new", closed.history.get(0).fromState);
        assertEquals("resolved", closed.history.get(0).toState);
        assertTrue(closed.history.get(0).comment.contains("more than 5 alerts were open (maxOpenAlerts)"), closed.history.get(0).comment);

        // Its rule's next alert on the entity, within the grouping window, is an alert of its own.
        Admission again = store.admit(alert("portscan", "low-3", T0 + MINUTE, Severity.LOW));
        assertEquals(Admission.Outcome.NEW, again.outcome());
        assertNotEquals(ids.get("low-3"), again.alertId());
        store.sync();
        assertEquals("resolved", store.get(ids.get("low-3")).orElseThrow().state);

        StringBuilder out = new StringBuilder();
        store.writePrometheus(out);
        String text = out.toString();
        assertTrue(text.contains("amoskys_alerts_closed_for_room_total 5\n"), text);
        assertTrue(text.contains("amoskys_alerts{state=\"resolved\"} 5\n"), text);
        assertEquals(5, store.count(inStates("open")));
        reopen();
        assertEquals(5, store.count(inStates("open")), "what was resolved stays resolved");
    }

    @Test
    void aStoreMadeBeforeTheCapGetsItsIndex() throws Exception {
        open();
        store.admit(alert("r", "e", T0));
        store.close();
        org.apache.derby.jdbc.EmbeddedDataSource db = new org.apache.derby.jdbc.EmbeddedDataSource();
        db.setDatabaseName(dir.resolve("alerts").toAbsolutePath().toString());
        try (java.sql.Connection c = db.getConnection(); java.sql.Statement s = c.createStatement()) {
            s.executeUpdate("DROP INDEX alert_open_order");
        }
        assertFalse(hasOpenOrderIndex(db));
        open();
        assertTrue(hasOpenOrderIndex(db));
        assertEquals(1, store.count(inStates("new")));
    }

    @Test
    void suppressionsStoredBeforeEscapesKeepTheirMeaning() throws Exception {
        open();
        String fromAlert = falsePositiveSuppressing("sensor_spike", "plant/*");
        SuppressionDTO domain = new SuppressionDTO();
        domain.entity = "CORP\\*";
        String operators = store.suppress(domain).id;
        store.close();
        // As a store written before escapes: the alert's text as it was, no marker.
        org.apache.derby.jdbc.EmbeddedDataSource db = new org.apache.derby.jdbc.EmbeddedDataSource();
        db.setDatabaseName(dir.resolve("alerts").toAbsolutePath().toString());
        try (java.sql.Connection c = db.getConnection(); java.sql.Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE suppression SET entity = 'plant/*' WHERE id = '" + fromAlert + "'");
            s.executeUpdate("DELETE FROM store_info WHERE name = 'glob-escapes'");
        }
        open();
        assertEquals("plant/\\*", store.suppression(fromAlert).orElseThrow().entity, "the false positive's own entity, quoted");
        assertEquals("CORP\\\\*", store.suppression(operators).orElseThrow().entity, "the operator's backslash, still a backslash");
        assertEquals(Admission.Outcome.NEW, store.admit(alert("sensor_spike", "plant/boiler", T0)).outcome());
        assertEquals(Admission.Outcome.SUPPRESSED, store.admit(alert("r", "CORP\\alice", T0)).outcome());
        reopen();
        assertEquals("CORP\\\\*", store.suppression(operators).orElseThrow().entity, "rewritten once only");
    }

    private static boolean hasOpenOrderIndex(org.apache.derby.jdbc.EmbeddedDataSource db) throws Exception {
        try (java.sql.Connection c = db.getConnection();
                java.sql.ResultSet rs = c.getMetaData().getIndexInfo(null, null, "ALERT", false, true)) {
            while (rs.next()) {
                if ("ALERT_OPEN_ORDER".equals(rs.getString("INDEX_NAME"))) {
                    return true;
                }
            }
            return false;
        }
    }

    @Test
    void admitAfterCloseFailsClearly() throws Exception {
        open();
        store.close();
        RuntimeException e = assertThrows(RuntimeException.class, () -> store.admit(alert("r", "e", T0)));
        assertTrue(e.getMessage().contains("stopping"), e.getMessage());
        store = null;
    }
}
