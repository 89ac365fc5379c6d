package io.amoskys.response.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.alert.AlertDTO;
import io.amoskys.api.alert.AlertQuery;
import io.amoskys.api.alert.AlertStore;
import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Response;
import io.amoskys.api.event.Severity;
import io.amoskys.api.response.Action;
import io.amoskys.api.response.ActionOutcome;
import io.amoskys.api.response.ActionRequest;
import io.amoskys.api.response.ActionResponder;
import io.amoskys.api.response.Target;
import io.amoskys.response.admin.ActionDTO;
import io.amoskys.response.admin.ActionState;
import io.amoskys.response.admin.ReceiptDTO;
import io.amoskys.response.admin.Verification;
import io.amoskys.schema.Ed25519Keys;
import java.nio.file.Files;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The guardrails against a real Derby queue and a responder that records what it is asked to do. */
class ResponseEngineTest {
    private static final KeyPair KEY = Ed25519Keys.generate();

    private Path dir;
    private ActionStore store;
    private ResponseEngine engine;
    private final Recorder blocker = new Recorder();
    private final MovableClock clock = new MovableClock();

    /** The system clock, moved forward when a test says so (a rate window's minute without waiting it). */
    static final class MovableClock extends Clock {
        volatile long aheadMs;

        @Override
        public long millis() {
            return System.currentTimeMillis() + aheadMs;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** Blocks the alert's entity for as long as it is told; answers with the scripted outcomes. */
    static class Recorder implements ActionResponder {
        final List<String> executed = Collections.synchronizedList(new ArrayList<>());
        final List<String> undone = Collections.synchronizedList(new ArrayList<>());
        final ConcurrentLinkedQueue<ActionOutcome> script = new ConcurrentLinkedQueue<>();
        volatile Duration lasts = Duration.ofMinutes(10);
        volatile List<String> problems = List.of();

        @Override
        public List<ActionRequest> plan(Alert alert) {
            if (alert.entityId().startsWith("bad")) {
                throw new IllegalArgumentException(alert.entityId() + " is not an IP address");
            }
            return List.of(ActionRequest.of("block", Target.address(alert.entityId()), "drop " + alert.entityId()).lasting(lasts));
        }

        @Override
        public ActionOutcome execute(Action action) {
            executed.add(action.id() + "#" + action.attempt());
            ActionOutcome next = script.poll();
            return next != null ? next : ActionOutcome.succeeded("blocked " + action.request().target().value());
        }

        @Override
        public ActionOutcome undo(Action action) {
            undone.add(action.id());
            return ActionOutcome.succeeded("unblocked");
        }

        @Override
        public boolean undoable() {
            return true;
        }

        @Override
        public List<String> configurationProblems() {
            return problems;
        }
    }

    @BeforeEach
    void open() throws Exception {
        dir = Files.createTempDirectory(Path.of("target"), "response");
        start(settings(s -> s));
    }

    private void start(Guardrails guardrails) throws Exception {
        store = new ActionStore(dir.resolve("db"), new ReceiptSigner(KEY));
        engine = new ResponseEngine(store, guardrails, clock, new ResponseMetrics());
        engine.add("block", blocker);
    }

    private void restart(Guardrails guardrails) throws Exception {
        engine.close();
        store.close();
        start(guardrails);
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
        if (store != null) {
            store.close();
        }
    }

    /** Settings for tests: short waits; {@code change} adjusts them. */
    static Guardrails settings(Function<Guardrails, Guardrails> change) {
        Allowlist allow = new Allowlist(Allowlist.parse(new String[] {"192.0.2.0/24"}), true, Path.of("/proc/net"));
        return change.apply(new Guardrails(allow, Set.of(), Duration.ofMinutes(15), 30, 120, 5, Duration.ofMinutes(5), 3,
                Duration.ofMillis(20), Duration.ofMillis(100), 2, 1000, Duration.ofSeconds(30), Duration.ofDays(90)));
    }

    private static Alert alert(String entity) {
        return Alert.builder().id("alert-" + entity + "-" + System.nanoTime()).rule("sigma-portscan").entityId(entity)
                .timestampNanos(System.currentTimeMillis() * 1_000_000).severity(Severity.HIGH).title("scan from " + entity)
                .build();
    }

    private ActionDTO only(Response r) {
        List<ActionDTO> all = engine.actions(List.of(), 100);
        return all.stream().filter(a -> a.alertId.equals(r.alertId())).findFirst().orElseThrow();
    }

    private ActionDTO awaitState(String id, ActionState state) {
        await(() -> engine.action(id).orElseThrow().state == state, "action " + id + " to become " + state.label());
        return engine.action(id).orElseThrow();
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private List<String> kinds(String actionId) {
        return engine.receipts(actionId).stream().map(r -> r.kind).toList();
    }

    @Test
    void anUnarmedResponderOnlyDescribesWhatItWouldHaveDone() {
        Response r = engine.submit("block", alert("198.51.100.7"));
        assertEquals(Response.Outcome.DRY_RUN, r.outcome(), r.action());
        ActionDTO a = only(r);
        assertEquals(ActionState.DRY_RUN, a.state);
        assertTrue(a.output.startsWith("would have: drop 198.51.100.7"), a.output);
        assertEquals(List.of("would-have"), kinds(a.id));
        assertTrue(blocker.executed.isEmpty(), "a dry run executes nothing");
    }

    @Test
    void anArmedResponderActsAndItsActionIsUndoneAtExpiry() {
        engine.arm("block", "alice");
        blocker.lasts = Duration.ofMillis(300);
        Response r = engine.submit("block", alert("198.51.100.8"));
        assertEquals(Response.Outcome.PENDING, r.outcome(), r.action());
        ActionDTO a = awaitState(only(r).id, ActionState.UNDONE);
        assertEquals(1, blocker.executed.size());
        assertEquals(List.of(a.id), blocker.undone);
        assertEquals(List.of("queued", "executed", "undone"), kinds(a.id));
        assertTrue(engine.verify().intact);
    }

    @Test
    void aSecondAlertOnATargetUnderWayAddsNoAction() {
        engine.arm("block", "alice");
        engine.submit("block", alert("198.51.100.9"));
        Response again = engine.submit("block", alert("198.51.100.9"));
        assertEquals(Response.Outcome.SKIPPED, again.outcome());
        assertTrue(again.action().startsWith("already under way or decided"), again.action());
    }

    @Test
    void allowlistedTargetsAreNeverActedOnWhateverTheAlertSays() {
        engine.arm("block", "alice");
        for (String protectedAddress : List.of("192.0.2.77", "127.0.0.1", "::1")) {
            Response r = engine.submit("block", alert(protectedAddress));
            assertEquals(Response.Outcome.SKIPPED, r.outcome(), r.action());
            ActionDTO a = only(r);
            assertEquals(ActionState.REFUSED, a.state);
            assertTrue(a.output.contains(protectedAddress), a.output);
        }
        assertTrue(blocker.executed.isEmpty());
    }

    @Test
    void anActionNeedingApprovalRunsOnceApprovedAndAnotherExpiresUnapproved() throws Exception {
        // Long enough for a loaded machine to approve in time, short enough to wait for the other's expiry.
        restart(settings(s -> new Guardrails(s.allowlist(), Set.of("block"), Duration.ofSeconds(2), s.ratePerMinute(),
                s.globalRatePerMinute(), s.breakerFailures(), s.breakerCooldown(), s.maxAttempts(), s.retryBase(), s.retryMax(),
                s.workers(), s.maxWaiting(), s.attemptTimeout(), s.retain())));
        engine.arm("block", "alice");
        ActionDTO approved = only(engine.submit("block", alert("198.51.100.10")));
        ActionDTO expiring = only(engine.submit("block", alert("198.51.100.11")));
        assertEquals(ActionState.AWAITING_APPROVAL, approved.state);
        engine.approve(approved.id.substring(0, 8), "bob");
        awaitState(approved.id, ActionState.ACTIVE);
        ActionDTO expired = awaitState(expiring.id, ActionState.EXPIRED);
        assertEquals(1, blocker.executed.size(), "only the approved action ran: " + blocker.executed);
        assertTrue(blocker.executed.get(0).startsWith(approved.id));
        assertEquals(List.of("awaiting-approval", "expired"), kinds(expired.id));
        assertEquals("bob", engine.action(approved.id).orElseThrow().decidedBy == null ? null
                : engine.receipts(approved.id).stream().filter(x -> x.kind.equals("approved")).findFirst().map(x -> "bob").orElse(null));
        assertThrows(IllegalStateException.class, () -> engine.approve(expired.id, "bob"));
    }

    @Test
    void operatorsUndoOnDemand() {
        engine.arm("block", "alice");
        ActionDTO a = only(engine.submit("block", alert("198.51.100.12")));
        awaitState(a.id, ActionState.ACTIVE);
        engine.undo(a.id, "carol");
        awaitState(a.id, ActionState.UNDONE);
        assertEquals(List.of(a.id), blocker.undone);
        assertTrue(kinds(a.id).contains("undo-requested"));
    }

    @Test
    void aFailingReceiverIsRetriedThenReceiptedAsFailed() {
        engine.arm("block", "alice");
        blocker.script.add(ActionOutcome.retry("connection refused"));
        blocker.script.add(ActionOutcome.retry("connection refused"));
        ActionDTO recovered = only(engine.submit("block", alert("198.51.100.13")));
        awaitState(recovered.id, ActionState.ACTIVE);
        assertEquals(List.of("queued", "retry", "retry", "executed"), kinds(recovered.id));

        for (int i = 0; i < 3; i++) {
            blocker.script.add(ActionOutcome.retry("connection refused"));
        }
        ActionDTO failed = only(engine.submit("block", alert("198.51.100.14")));
        ActionDTO end = awaitState(failed.id, ActionState.FAILED);
        assertTrue(end.output.contains("gave up after 3 attempts"), end.output);
        assertEquals(List.of("queued", "retry", "retry", "failed"), kinds(failed.id));
    }

    @Test
    void failuresInARowOpenTheFailingRespondersBreakerOnly() throws Exception {
        Recorder other = new Recorder();
        engine.add("other", other);
        engine.arm("other", "alice");
        engine.arm("block", "alice");
        for (int i = 0; i < 5; i++) {
            blocker.script.add(ActionOutcome.failed("permission denied"));
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(only(engine.submit("block", alert("198.51.100." + (20 + i)))).id);
        }
        ids.forEach(id -> awaitState(id, ActionState.FAILED));
        assertFalse(engine.breaker().isEmpty(), "five failures in a row open the breaker");
        Response refused = engine.submit("block", alert("198.51.100.30"));
        assertEquals(ActionState.REFUSED, only(refused).state);
        assertTrue(only(refused).output.startsWith("circuit breaker open"), only(refused).output);
        assertEquals(Response.Outcome.PENDING, engine.submit("other", alert("198.51.100.32")).outcome(),
                "another responder still acts");

        restart(settings(s -> s));
        assertTrue(engine.breaker().startsWith("block: 5 failed attempts in a row"), "a restart keeps it open: " + engine.breaker());
        assertTrue(only(engine.submit("block", alert("198.51.100.33"))).output.startsWith("circuit breaker open"));
        assertTrue(engine.resetBreaker("alice"));
        assertEquals(Response.Outcome.PENDING, engine.submit("block", alert("198.51.100.31")).outcome());
        restart(settings(s -> s));
        assertEquals("", engine.breaker(), "the reset is kept too");
        List<String> breakerReceipts = receiptKindsWithoutAction();
        assertEquals(List.of("breaker-opened", "breaker-reset"), breakerReceipts.stream().filter(k -> k.startsWith("breaker")).toList());
        assertTrue(engine.verify().intact);
    }

    private List<String> receiptKindsWithoutAction() throws Exception {
        List<String> kinds = new ArrayList<>();
        store.inTransaction(() -> {
            try (java.sql.Statement st = store.connectionForTests().createStatement();
                    java.sql.ResultSet r = st.executeQuery("SELECT kind FROM receipt WHERE action_id IS NULL ORDER BY seq")) {
                while (r.next()) {
                    kinds.add(r.getString(1));
                }
            }
            return null;
        });
        return kinds;
    }

    @Test
    void everyNotificationCountsEvenWhileAnotherToTheSameReceiverIsUnderWay() {
        blocker.lasts = null; // a notification: it does not last, and every alert gets its own
        engine.arm("block", "alice");
        blocker.script.add(ActionOutcome.retry("receiver down"));
        Response first = engine.submit("block", alert("198.51.100.35"));
        Response second = engine.submit("block", alert("198.51.100.35"));
        assertEquals(Response.Outcome.PENDING, first.outcome());
        assertEquals(Response.Outcome.PENDING, second.outcome(), second.action());
    }

    @Test
    void anApprovalAfterTheDeadlineIsRefused() throws Exception {
        restart(settings(s -> new Guardrails(s.allowlist(), Set.of("block"), Duration.ofMillis(1), s.ratePerMinute(),
                s.globalRatePerMinute(), s.breakerFailures(), s.breakerCooldown(), s.maxAttempts(), s.retryBase(), s.retryMax(),
                s.workers(), s.maxWaiting(), s.attemptTimeout(), s.retain())));
        engine.arm("block", "alice");
        ActionDTO late = only(engine.submit("block", alert("198.51.100.36")));
        await(() -> System.currentTimeMillis() > late.dueMs, "the deadline to pass");
        assertThrows(IllegalStateException.class, () -> engine.approve(late.id, "bob"));
        awaitState(late.id, ActionState.EXPIRED);
        assertTrue(blocker.executed.isEmpty());
    }

    @Test
    void namesAreNeverLookedUpAsAddresses() {
        engine.arm("block", "alice");
        for (String notAnAddress : List.of("cafe.babe", "10.1", "1.2.3.4.5")) {
            ActionDTO a = only(engine.submit("block", alert(notAnAddress)));
            assertEquals(ActionState.REFUSED, a.state, notAnAddress);
            assertTrue(a.output.contains("is not an IP address"), a.output);
        }
    }

    @Test
    void theRateLimitRefusesPastItsWindow() throws Exception {
        restart(settings(s -> new Guardrails(s.allowlist(), s.approval(), s.approvalTimeout(), 2, s.globalRatePerMinute(),
                s.breakerFailures(), s.breakerCooldown(), s.maxAttempts(), s.retryBase(), s.retryMax(), s.workers(), s.maxWaiting(),
                s.attemptTimeout(), s.retain())));
        engine.arm("block", "alice");
        engine.submit("block", alert("198.51.100.40"));
        engine.submit("block", alert("198.51.100.41"));
        ActionDTO third = only(engine.submit("block", alert("198.51.100.42")));
        assertEquals(ActionState.REFUSED, third.state);
        assertTrue(third.output.startsWith("rate limit"), third.output);
    }

    /**
     * A burst of alerts (a scan from spoofed sources, say) takes the minute's budget just before the
     * attacker's alert comes. The alert store counts the attacker's later alerts into its open
     * alert and passes none on, so the refusal must not be the end of it: once the window has room,
     * the alert raised again since is acted on; one never raised again is not.
     */
    @Test
    void anAlertRefusedForNowIsActedOnOnceRaisedAgain() throws Exception {
        restart(settings(s -> new Guardrails(s.allowlist(), s.approval(), s.approvalTimeout(), 2, s.globalRatePerMinute(),
                s.breakerFailures(), s.breakerCooldown(), s.maxAttempts(), s.retryBase(), s.retryMax(), s.workers(), s.maxWaiting(),
                s.attemptTimeout(), s.retain())));
        List<AlertDTO> open = Collections.synchronizedList(new ArrayList<>());
        engine.alerts(openAlerts(open));
        engine.arm("block", "alice");
        engine.submit("block", alert("198.51.100.50"));
        engine.submit("block", alert("198.51.100.51"));
        Alert attacker = alert("198.51.100.60");
        Alert oneShot = alert("198.51.100.61");
        for (Alert refused : List.of(attacker, oneShot)) {
            ActionDTO a = only(engine.submit("block", refused));
            assertEquals(ActionState.REFUSED, a.state);
            assertTrue(a.output.startsWith("rate limit") && a.output.endsWith("offered again once there is room, if its alert is raised again"),
                    a.output);
        }
        assertEquals(2, engine.heldAlerts());

        clock.aheadMs += 1_000;
        open.add(openAlert(attacker, 7, clock.millis())); // the store counted six more alerts of the attacker into it
        assertEquals(0, engine.reconsider(), "the rate window is still full");
        clock.aheadMs += 60_000;
        assertEquals(1, engine.reconsider());
        await(() -> engine.actions(List.of(ActionState.ACTIVE), 100).stream().anyMatch(a -> a.target.equals("address:198.51.100.60")),
                "the attacker's block to be carried out");
        assertTrue(engine.actions(List.of(), 100).stream().noneMatch(a -> a.target.equals("address:198.51.100.61")
                && a.state != ActionState.REFUSED), "the alert never raised again is not acted on");
        assertEquals(1, engine.heldAlerts(), "it stays held, for an hour at most");
        assertEquals(0, engine.reconsider());
        assertEquals(1, engine.heldOffered());

        // Its group expired and a new alert of it began: that one went to the responders by itself.
        AlertDTO newer = openAlert(oneShot, 1, clock.millis());
        newer.createdMillis = newer.lastAdmittedMillis;
        open.add(newer);
        assertEquals(0, engine.reconsider(), "the held, older alert is not offered besides it");
        assertEquals(0, engine.heldAlerts(), "but let go");
        assertTrue(engine.verify().intact);
    }

    /** An alert store holding {@code open}: answers {@link AlertStore#list} as the real one filters it. */
    /**
     * A vendor's responder that tells two receivers about each alert: the rate window lets the first
     * through and refuses the second. Offered again, the alert must reach the second receiver, and
     * not the first a second time.
     */
    @Test
    void aHeldAlertOfferedAgainRepeatsNoNotificationAlreadySent() throws Exception {
        restart(settings(s -> new Guardrails(s.allowlist(), s.approval(), s.approvalTimeout(), 1, s.globalRatePerMinute(),
                s.breakerFailures(), s.breakerCooldown(), s.maxAttempts(), s.retryBase(), s.retryMax(), s.workers(), s.maxWaiting(),
                s.attemptTimeout(), s.retain())));
        List<AlertDTO> open = Collections.synchronizedList(new ArrayList<>());
        engine.alerts(openAlerts(open));
        Recorder teller = new Recorder() {
            @Override
            public List<ActionRequest> plan(Alert alert) {
                return List.of(ActionRequest.of("notify", Target.recipient("soc@example.org"), "tell the SOC"),
                        ActionRequest.of("notify", Target.recipient("noc@example.org"), "tell the NOC"));
            }

            @Override
            public boolean undoable() {
                return false;
            }
        };
        engine.add("tell", teller);
        engine.arm("tell", "alice");
        Alert alert = alert("198.51.100.70");
        Response first = engine.submit("tell", alert);
        assertTrue(first.action().contains("queued: tell the SOC") && first.action().contains("rate limit"), first.action());
        assertEquals(1, engine.heldAlerts());

        clock.aheadMs += 61_000;
        open.add(openAlert(alert, 3, clock.millis()));
        assertEquals(1, engine.reconsider());
        await(() -> engine.actions(List.of(ActionState.DONE), 100).size() == 2, "both receivers told");
        List<String> told = engine.actions(List.of(ActionState.DONE), 100).stream().map(a -> a.target).sorted().toList();
        assertEquals(List.of("recipient:noc@example.org", "recipient:soc@example.org"), told, "each receiver once");
        assertEquals(2, teller.executed.size(), teller.executed.toString());
        assertTrue(engine.submit("tell", alert).action().startsWith("already under way or decided"), "a second delivery adds nothing");
    }

    @Test
    void anAlertOnlyDescribedWhileUnarmedIsActedOnWhenOfferedAgainArmed() {
        Alert alert = alert("198.51.100.71");
        assertEquals(ActionState.DRY_RUN, only(engine.submit("block", alert)).state);
        engine.arm("block", "alice");
        Response again = engine.submit("block", alert);
        assertEquals(Response.Outcome.PENDING, again.outcome(), "a dry run is no decision to keep: " + again.action());
        await(() -> blocker.executed.size() == 1, "the block");
    }

    private static AlertStore openAlerts(List<AlertDTO> open) {
        return (AlertStore) Proxy.newProxyInstance(ResponseEngineTest.class.getClassLoader(), new Class<?>[] {AlertStore.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("list")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    AlertQuery q = (AlertQuery) args[0];
                    synchronized (open) {
                        return open.stream().filter(a -> q.states.contains(a.state) && a.lastAdmittedMillis >= q.sinceMillis).toList();
                    }
                });
    }

    private static AlertDTO openAlert(Alert first, long count, long lastAdmittedMillis) {
        AlertDTO a = new AlertDTO();
        a.id = first.id();
        a.rule = first.rule();
        a.entity = first.entityId();
        a.state = "new";
        a.count = count;
        a.lastAdmittedMillis = lastAdmittedMillis;
        return a;
    }

    @Test
    void aResponderWithConfigurationProblemsIsNeitherArmedNorRun() {
        blocker.problems = List.of("interface eth9 does not exist");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> engine.arm("block", "alice"));
        assertTrue(e.getMessage().contains("eth9"), e.getMessage());
        blocker.problems = List.of();
        engine.arm("block", "alice");
        blocker.problems = List.of("set name 'x y' is not an nftables identifier");
        Response r = engine.submit("block", alert("198.51.100.50"));
        assertEquals(Response.Outcome.FAILED, r.outcome());
        assertFalse(engine.responders().get(0).armed, "a responder whose configuration broke is disarmed");
        assertTrue(blocker.executed.isEmpty());
    }

    @Test
    void anAlertThePluginCannotPlanIsRefusedWithItsReason() {
        Response r = engine.submit("block", alert("bad-host"));
        assertEquals(Response.Outcome.SKIPPED, r.outcome());
        assertTrue(only(r).output.contains("bad-host is not an IP address"), only(r).output);
    }

    @Test
    void aRestartNeitherLosesNorRepeatsActions() throws Exception {
        engine.arm("block", "alice");
        ActionDTO finished = only(engine.submit("block", alert("198.51.100.60")));
        awaitState(finished.id, ActionState.ACTIVE);
        // A crash in the middle of an attempt: the row says running when the platform comes back.
        engine.disarm("block", "alice");
        ActionDTO interrupted = only(engine.submit("block", alert("198.51.100.61")));
        store.inTransaction(() -> {
            ActionDTO a = store.find(interrupted.id).orElseThrow();
            a.state = ActionState.RUNNING;
            store.update(a, null);
            return null;
        });
        engine.arm("block", "alice");
        restart(settings(s -> s));
        awaitState(interrupted.id, ActionState.ACTIVE);
        assertEquals(1, blocker.executed.stream().filter(x -> x.startsWith(finished.id)).count(), "a finished action never runs again");
        assertEquals(1, blocker.executed.stream().filter(x -> x.startsWith(interrupted.id)).count());
        assertTrue(kinds(interrupted.id).contains("recovered"), kinds(interrupted.id).toString());
        assertEquals(ActionState.ACTIVE, engine.action(finished.id).orElseThrow().state, "its undo is still due");
        assertTrue(engine.verify().intact);
    }

    @Test
    void anActionWaitsForItsResponderToComeBack() {
        engine.arm("block", "alice");
        blocker.script.add(ActionOutcome.retry("busy"));
        ActionDTO a = only(engine.submit("block", alert("198.51.100.65")));
        await(() -> kinds(a.id).contains("retry"), "a retry");
        engine.remove("block", blocker);
        assertEquals(Response.Outcome.FAILED, engine.submit("block", alert("198.51.100.66")).outcome(), "no responder, no plan");
        engine.add("block", blocker);
        awaitState(a.id, ActionState.ACTIVE);
    }

    @Test
    void verificationFindsAChangedOrMissingReceipt() throws Exception {
        engine.submit("block", alert("198.51.100.70"));
        engine.submit("block", alert("198.51.100.71"));
        engine.submit("block", alert("198.51.100.72"));
        Verification ok = engine.verify();
        assertTrue(ok.intact, ok.problem);
        assertEquals(3, ok.receipts);
        store.tamper("UPDATE receipt SET kind = 'executed' WHERE seq = 2");
        Verification changed = engine.verify();
        assertFalse(changed.intact);
        assertEquals(2, changed.firstBrokenSeq);
        assertTrue(changed.problem.contains("changed after it was written"), changed.problem);
        store.tamper("DELETE FROM receipt WHERE seq = 2");
        Verification missing = engine.verify();
        assertEquals(3, missing.firstBrokenSeq);
        assertTrue(missing.problem.contains("missing"), missing.problem);
    }

    @Test
    void receiptsRemovedAtTheEndAreFound() throws Exception {
        engine.submit("block", alert("198.51.100.73"));
        engine.submit("block", alert("198.51.100.74"));
        store.tamper("DELETE FROM receipt WHERE seq = 2");
        Verification v = engine.verify();
        assertFalse(v.intact);
        assertEquals(2, v.firstBrokenSeq);
        assertTrue(v.problem.contains("missing at the end"), v.problem);
    }

    @Test
    void aMissingReceiptKeyIsNeverReplacedUnderExistingReceipts() throws Exception {
        Path key = dir.resolve("receipts.key");
        engine.close();
        store.close();
        store = new ActionStore(dir.resolve("db"), exist -> ReceiptSigner.loadOrCreate(key, exist));
        engine = new ResponseEngine(store, settings(s -> s), Clock.systemUTC(), new ResponseMetrics());
        engine.add("block", blocker);
        engine.submit("block", alert("198.51.100.75"));
        engine.close();
        store.close();
        Files.delete(key);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ActionStore(dir.resolve("db"), exist -> ReceiptSigner.loadOrCreate(key, exist)));
        assertTrue(e.getMessage().contains("receipt key"), e.getMessage());
        assertFalse(Files.exists(key), "no new key was made");
        engine = null;
        store = null;
    }

    @Test
    void receiptsAreSignedByThePlatformKey() {
        ActionDTO a = only(engine.submit("block", alert("198.51.100.80")));
        ReceiptDTO r = engine.receipts(a.id).get(0);
        assertEquals(Ed25519Keys.keyId(KEY.getPublic()), r.keyId);
        assertTrue(new ReceiptSigner(KEY).verify(r.hash, r.signature));
        assertFalse(new ReceiptSigner(Ed25519Keys.generate()).verify(r.hash, r.signature), "another key's check fails");
        assertTrue(r.body.contains("\"target\":\"address:198.51.100.80\""), r.body);
        assertEquals(null, a.parameters, "a list leaves the parameters out");
        assertEquals(Map.of(), engine.action(a.id).orElseThrow().parameters);
    }

    /** Execute waits until released and does not heed interrupts, as a read on a plain socket does not. */
    static final class Hanging implements ActionResponder {
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public List<ActionRequest> plan(Alert alert) {
            return List.of(ActionRequest.of("notify", Target.recipient("https://hangs.example/"), "tell about " + alert.id()));
        }

        @Override
        public ActionOutcome execute(Action action) {
            calls.incrementAndGet();
            while (true) {
                try {
                    release.await();
                    return ActionOutcome.succeeded("told at last");
                } catch (InterruptedException ignored) {
                    // as a blocking socket read would
                }
            }
        }
    }

    private void startWithDeadline(Duration deadline) throws Exception {
        restart(withDeadline(deadline));
    }

    /** Two workers, three attempts, this attempt deadline. */
    private static Guardrails withDeadline(Duration deadline) {
        return settings(s -> new Guardrails(s.allowlist(), s.approval(), s.approvalTimeout(), s.ratePerMinute(),
                s.globalRatePerMinute(), 10, s.breakerCooldown(), 3, s.retryBase(), s.retryMax(), 2, s.maxWaiting(),
                deadline, s.retain()));
    }

    @Test
    void anAttemptHangingPastItsDeadlineWaitsForItsCallAndOthersStillRun() throws Exception {
        startWithDeadline(Duration.ofMillis(200));
        Hanging hanging = new Hanging();
        engine.add("hangs", hanging);
        engine.arm("hangs", "alice");
        engine.arm("block", "alice");
        ActionDTO hung = only(engine.submit("hangs", alert("198.51.100.90")));
        await(() -> kinds(hung.id).contains("retry"), "the deadline");
        ActionDTO waiting = engine.action(hung.id).orElseThrow();
        assertEquals(ActionState.QUEUED, waiting.state);
        assertTrue(waiting.output.contains("no outcome within 200 ms"), waiting.output);
        assertEquals(0, waiting.dueMs, "it waits for its call, not for a retry delay");
        assertEquals(1, engine.abandonedAttempts());
        awaitState(only(engine.submit("block", alert("198.51.100.91"))).id, ActionState.ACTIVE);
        assertEquals(1, hanging.calls.get(), "never two calls at once under one id");

        hanging.release.countDown();
        ActionDTO done = awaitState(hung.id, ActionState.DONE);
        assertTrue(done.output.contains("returned after its deadline: told at last"), done.output);
        // The worker records the late outcome, then stops counting the call as abandoned: the state
        // can read DONE a moment before the count drops.
        await(() -> engine.abandonedAttempts() == 0, "the returned call no longer counted as abandoned");
        assertEquals(1, hanging.calls.get());
        assertTrue(engine.verify().intact);
    }

    @Test
    void aCallThatReturnsWhenInterruptedAtItsDeadlineIsRetried() throws Exception {
        startWithDeadline(Duration.ofMillis(200));
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        engine.add("waits", new Recorder() {
            @Override
            public ActionOutcome execute(Action action) {
                if (calls.incrementAndGet() > 1) {
                    return ActionOutcome.succeeded("blocked on the second try");
                }
                try {
                    new java.util.concurrent.CountDownLatch(1).await(); // a wait that heeds interrupts: a process, NIO
                    return ActionOutcome.failed("never");
                } catch (InterruptedException e) {
                    return ActionOutcome.retry("interrupted"); // at once, while the deadline still records
                }
            }
        });
        engine.arm("waits", "alice");
        ActionDTO a = only(engine.submit("waits", alert("198.51.100.98")));
        ActionDTO active = awaitState(a.id, ActionState.ACTIVE);
        assertEquals(2, calls.get());
        assertTrue(kinds(a.id).containsAll(List.of("retry", "executed")), kinds(a.id).toString());
        assertTrue(active.output.contains("blocked on the second try"), active.output);
        assertEquals(0, engine.abandonedAttempts());
    }

    @Test
    void hungCallsBeyondTheSpareThreadsHoldOtherActionsUntilTheyReturn() throws Exception {
        startWithDeadline(Duration.ofMillis(200));
        Hanging hanging = new Hanging();
        engine.add("hangs", hanging);
        engine.arm("hangs", "alice");
        engine.arm("block", "alice");
        for (int i = 0; i < 4; i++) { // two workers: four threads in all
            engine.submit("hangs", alert("198.51.100.9" + i));
        }
        await(() -> engine.abandonedAttempts() == 4, "four hung calls");
        ActionDTO held = only(engine.submit("block", alert("198.51.100.95")));
        assertEquals(ActionState.QUEUED, engine.action(held.id).orElseThrow().state, "no thread is left for it");
        assertTrue(blocker.executed.isEmpty());
        hanging.release.countDown();
        awaitState(held.id, ActionState.ACTIVE);
        await(() -> engine.actions(List.of(ActionState.DONE), 10).size() == 4, "the four late successes");
    }

    /** An action of {@code hanging} (deadline 300 ms) whose call has begun, and hangs until released. */
    private ActionDTO hungAction(Hanging hanging, String address) throws Exception {
        startWithDeadline(Duration.ofMillis(300));
        engine.add("hangs", hanging);
        engine.arm("hangs", "alice");
        ActionDTO hung = only(engine.submit("hangs", alert(address)));
        await(() -> hanging.calls.get() == 1, "the call");
        return hung;
    }

    /** The next service (after {@link #store} is closed) with {@code hanging} back, once a claim round has passed. */
    private void startedBeside(Hanging hanging) throws Exception {
        start(withDeadline(Duration.ofMillis(300)));
        engine.add("hangs", hanging);
        engine.arm("block", "alice");
        awaitState(only(engine.submit("block", alert("198.51.100.81"))).id, ActionState.ACTIVE);
    }

    @Test
    void aCallStillHungWhenTheServiceStopsIsNeverRunAgainBesideIt() throws Exception {
        Hanging hanging = new Hanging();
        ActionDTO hung = hungAction(hanging, "198.51.100.80");
        // The service restarts (a configuration change, a bundle update) while the call hangs in this JVM.
        engine.close();
        store.close();
        startedBeside(hanging);
        ActionDTO given = engine.action(hung.id).orElseThrow();
        assertEquals(ActionState.FAILED, given.state, given.output);
        assertTrue(given.output.contains("had not returned when the response service stopped"), given.output);
        assertEquals(1, hanging.calls.get(), "never a second call beside the first");
        assertEquals(List.of("queued", "retry", "failed"), kinds(hung.id));
        hanging.release.countDown();
        assertTrue(engine.verify().intact);
    }

    @Test
    void anInterruptedStopStillWaitsForTheDeadlineAndGivesUpTheHungCall() throws Exception {
        Hanging hanging = new Hanging();
        ActionDTO hung = hungAction(hanging, "198.51.100.84");
        Thread.currentThread().interrupt(); // as a deactivation whose earlier wait was interrupted
        engine.close();
        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        store.close();
        startedBeside(hanging);
        assertEquals(ActionState.FAILED, engine.action(hung.id).orElseThrow().state);
        assertEquals(1, hanging.calls.get(), "never a second call beside the first");
        hanging.release.countDown();
    }

    @Test
    void aPlatformStopLeavesAHungCallsActionToRunAgainAtTheNextStart() throws Exception {
        Hanging hanging = new Hanging();
        ActionDTO hung = hungAction(hanging, "198.51.100.86");
        engine.close(false); // the process ends, and the hung call with it
        store.close();
        hanging.release.countDown();
        startWithDeadline(Duration.ofMillis(300));
        engine.add("hangs", hanging);
        ActionDTO done = awaitState(hung.id, ActionState.DONE);
        assertEquals(2, hanging.calls.get(), "run again under its id, as after a crash: " + done.output);
    }

    @Test
    void anAttemptsDeadlineStillInterruptsItWhileTheServiceStops() throws Exception {
        startWithDeadline(Duration.ofMillis(300));
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger inCall = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean overlapped = new java.util.concurrent.atomic.AtomicBoolean();
        Recorder waits = new Recorder() {
            @Override
            public ActionOutcome execute(Action action) {
                overlapped.compareAndSet(false, inCall.incrementAndGet() > 1);
                try {
                    if (calls.incrementAndGet() > 1) {
                        return super.execute(action);
                    }
                    entered.countDown();
                    new java.util.concurrent.CountDownLatch(1).await(); // heeds interrupts, as a process wait does
                    return ActionOutcome.failed("never");
                } catch (InterruptedException e) {
                    return ActionOutcome.retry("interrupted at the deadline");
                } finally {
                    inCall.decrementAndGet();
                }
            }
        };
        engine.add("waits", waits);
        engine.arm("waits", "alice");
        ActionDTO a = only(engine.submit("waits", alert("198.51.100.83")));
        assertTrue(entered.await(20, TimeUnit.SECONDS));
        startWithDeadline(Duration.ofMillis(300)); // the close waits for the deadline, which interrupts the call
        engine.add("waits", waits);
        ActionDTO active = awaitState(a.id, ActionState.ACTIVE);
        assertFalse(overlapped.get(), "the second call began after the first had ended");
        assertEquals(2, calls.get());
        assertTrue(kinds(a.id).containsAll(List.of("retry", "executed")), kinds(a.id).toString());
        assertTrue(active.output.startsWith("attempt 2:"), active.output);
    }

    @Test
    void aResponderThatLeavesItsThreadInterruptedDoesNotBreakTheStore() {
        engine.add("rude", new Recorder() {
            @Override
            public ActionOutcome execute(Action action) {
                Thread.currentThread().interrupt(); // Derby would close the connection of this thread
                return ActionOutcome.succeeded("done, rudely");
            }
        });
        engine.arm("rude", "alice");
        engine.arm("block", "alice");
        awaitState(only(engine.submit("rude", alert("198.51.100.96"))).id, ActionState.ACTIVE);
        awaitState(only(engine.submit("block", alert("198.51.100.97"))).id, ActionState.ACTIVE);
        assertTrue(engine.verify().intact);
    }

    @Test
    void retentionRemovesOldFinishedActionsAndTheChainStillVerifies() throws Exception {
        for (int i = 0; i < 3; i++) {
            engine.submit("block", alert("198.51.100.10" + i)); // dry-run: finished at once
        }
        engine.arm("block", "alice");
        ActionDTO active = only(engine.submit("block", alert("198.51.100.110")));
        awaitState(active.id, ActionState.ACTIVE);
        long receiptsBefore = engine.verify().receipts;

        assertEquals(4, engine.prune(System.currentTimeMillis() + 60_000), "three dry-runs and the arming; not the active block");
        assertEquals(1, engine.actions(List.of(), 100).size());
        Verification pruned = engine.verify();
        assertTrue(pruned.intact, pruned.problem);
        assertEquals(4, pruned.prunedThroughSeq);
        assertEquals(receiptsBefore - 4 + 1, pruned.receipts, "with the signed pruned receipt");
        assertEquals(0, engine.prune(System.currentTimeMillis() + 60_000), "what is under way stays");

        engine.undo(active.id, "bob");
        awaitState(active.id, ActionState.UNDONE);
        engine.prune(System.currentTimeMillis() + 60_000);
        assertTrue(engine.actions(List.of(), 100).isEmpty());
        Verification all = engine.verify();
        assertTrue(all.intact, all.problem);
        assertEquals(1, all.receipts, "only the newest pruned receipt is left");

        engine.submit("block", alert("198.51.100.111"));
        engine.submit("block", alert("198.51.100.112"));
        store.tamper("DELETE FROM receipt WHERE seq = " + (all.prunedThroughSeq + 1));
        Verification cut = engine.verify();
        assertFalse(cut.intact, "removing the first receipt after the pruned ones is found");
        assertTrue(cut.problem.contains("missing"), cut.problem);
    }

    @Test
    void retentionKeepsAFailedUndoAndRefusesToBuryABrokenChain() throws Exception {
        engine.arm("block", "alice");
        ActionDTO failedUndo = only(engine.submit("block", alert("198.51.100.120")));
        awaitState(failedUndo.id, ActionState.ACTIVE);
        store.inTransaction(() -> { // its undo gave up: the block may still be in place
            ActionDTO a = store.find(failedUndo.id).orElseThrow();
            a.state = ActionState.FAILED;
            a.phase = ActionStore.UNDO;
            store.update(a, "undo-failed");
            return null;
        });
        engine.submit("block", alert("198.51.100.121"));
        store.tamper("UPDATE receipt SET kind = 'disarmed' WHERE seq = 1");
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> engine.prune(System.currentTimeMillis() + 60_000));
        assertTrue(refused.getMessage().contains("broken at receipt 1") && refused.getMessage().contains("nothing is pruned"),
                refused.getMessage());
        store.tamper("UPDATE receipt SET kind = 'armed' WHERE seq = 1");

        assertEquals(1, engine.prune(System.currentTimeMillis() + 60_000), "only the arming receipt before it goes");
        assertTrue(engine.action(failedUndo.id).isPresent(), "a failed undo is kept");
        long start = engine.verify().prunedThroughSeq + 1;
        assertEquals(2, start);
        store.tamper("DELETE FROM receipt WHERE seq = " + start);
        Verification cut = engine.verify();
        assertFalse(cut.intact, "removing the first receipt after the pruned ones is found");
        assertTrue(cut.problem.contains("receipt " + start + " to " + start + " missing"), cut.problem);

        store.tamper("UPDATE receipt SET body = '{}' WHERE kind = 'pruned'");
        Verification forged = engine.verify();
        assertFalse(forged.intact);
        assertTrue(forged.problem.contains("no longer says where the chain starts"), forged.problem);
    }
}
