package io.amoskys.response.internal;

import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Response;
import io.amoskys.api.response.Action;
import io.amoskys.api.response.ActionOutcome;
import io.amoskys.api.response.ActionRequest;
import io.amoskys.api.response.ActionResponder;
import io.amoskys.api.response.Target;
import io.amoskys.response.admin.ActionDTO;
import io.amoskys.response.admin.ActionState;
import io.amoskys.response.admin.ReceiptDTO;
import io.amoskys.response.admin.ResponderDTO;
import io.amoskys.response.admin.ResponseAdmin;
import io.amoskys.response.admin.Verification;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guardrails every action responder's actions pass, and the worker that carries them out.
 *
 * <p>A route's alert is planned by the responder and each proposed action is decided at once, in
 * this order: a duplicate of an unfinished action is skipped; an allowlisted target is refused;
 * an unarmed responder only records what it would have done; an open circuit breaker, a full rate
 * window or a full queue refuse; otherwise the action is queued, or waits for approval. Every
 * decision and every attempt is one transaction with its signed receipt in {@link ActionStore}.
 * One scheduler thread claims due actions (approval expiries, attempts, undos) and hands them to
 * a bounded pool of workers; it wakes at the next due time, never by polling.
 */
public final class ResponseEngine implements ResponseAdmin, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseEngine.class);
    private static final int CLAIM_BATCH = 256;

    private final ActionStore store;
    private final Guardrails guardrails;
    private final Clock clock;
    private final ResponseMetrics metrics;
    private final Map<String, ActionResponder> responders = new ConcurrentHashMap<>();
    private final Map<String, RateWindow> rates = new ConcurrentHashMap<>();
    private final RateWindow globalRate;
    private final Breakers breakers;
    private final ScheduledThreadPoolExecutor scheduler;
    /** Twice the configured workers: room for as many attempts again that hang past their deadline. */
    private final ThreadPoolExecutor workers;
    private final int threads;
    private final AtomicInteger busy = new AtomicInteger();
    /** Attempts given up at their deadline whose call has not returned yet; each still holds a thread. */
    private final AtomicInteger abandoned = new AtomicInteger();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private ScheduledFuture<?> nextWake;
    private long nextWakeAt;

    public ResponseEngine(ActionStore store, Guardrails guardrails, Clock clock, ResponseMetrics metrics) {
        this.store = store;
        this.guardrails = guardrails;
        this.clock = clock;
        this.metrics = metrics;
        this.globalRate = new RateWindow(guardrails.globalRatePerMinute());
        this.breakers = new Breakers(guardrails.breakerFailures(), guardrails.breakerCooldown().toMillis(),
                store.openBreakers(clock.millis()));
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "amoskys-response-scheduler"));
        scheduler.setRemoveOnCancelPolicy(true);
        AtomicInteger n = new AtomicInteger();
        // A fixed pool, the queue as large: an attempt handed over always finds a thread that is not hung.
        this.threads = 2 * guardrails.workers();
        this.workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(threads),
                r -> daemon(r, "amoskys-response-worker-" + n.incrementAndGet()));
        workers.allowCoreThreadTimeOut(true);
        recoverRunning();
        scheduler.scheduleWithFixedDelay(this::pruneOld, 1, Duration.ofHours(6).toMinutes(), TimeUnit.MINUTES);
        wake();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** A crash stopped these mid-attempt: they run again under the same id (responders are idempotent per id). */
    private void recoverRunning() {
        long now = clock.millis();
        int recovered = store.inTransaction(() -> {
            List<ActionDTO> running = store.running();
            for (ActionDTO a : running) {
                a.state = ActionStore.UNDO.equals(a.phase) ? ActionState.UNDO_QUEUED : ActionState.QUEUED;
                a.dueMs = now;
                a.changedMs = now;
                a.output = "interrupted by a restart; runs again under the same id";
                store.update(a, "recovered");
            }
            return running.size();
        });
        if (recovered > 0) {
            LOG.warn("{} actions were running when the platform stopped; they run again", recovered);
        }
    }

    // ---- responders come and go

    public void add(String name, ActionResponder responder) {
        responders.put(name, responder);
        long now = clock.millis();
        List<String> problems = problems(responder);
        store.inTransaction(() -> {
            // A responder that comes back misconfigured (a configuration change) is disarmed at once.
            if (!problems.isEmpty() && store.armed(name)) {
                store.setArmed(name, false, "platform", now, "configuration problems: " + String.join("; ", problems));
                LOG.warn("Responder {} disarmed: configuration problems: {}", name, String.join("; ", problems));
            }
            return store.dueAgain(name, now);
        });
        wake();
    }

    public void remove(String name, ActionResponder responder) {
        responders.remove(name, responder);
    }

    // ---- decisions, on the route's thread

    /** Plans the alert with the responder and decides each proposed action. */
    public Response submit(String name, Alert alert) {
        ActionResponder responder = responders.get(name);
        if (responder == null) {
            return new Response(name, alert.id(), Response.Outcome.FAILED, "responder " + name + " is not installed");
        }
        long now = clock.millis();
        List<String> problems = problems(responder);
        if (!problems.isEmpty()) {
            String why = "configuration problems: " + String.join("; ", problems);
            store.inTransaction(() -> {
                if (store.armed(name)) {
                    store.setArmed(name, false, "platform", now, why);
                }
                store.insert(refused(name, alert, none(alert), why, now), "refused");
                return null;
            });
            metrics.decided(name, "refused_configuration");
            return new Response(name, alert.id(), Response.Outcome.FAILED, why);
        }
        List<ActionRequest> requests;
        try {
            requests = responder.plan(alert);
        } catch (RuntimeException e) {
            String why = "cannot plan: " + e.getMessage();
            store.inTransaction(() -> {
                store.insert(refused(name, alert, none(alert), why, now), "refused");
                return null;
            });
            metrics.decided(name, "refused_plan");
            return new Response(name, alert.id(), Response.Outcome.SKIPPED, why);
        }
        List<String> said = new ArrayList<>();
        Response.Outcome outcome = Response.Outcome.SKIPPED;
        for (ActionRequest request : requests == null ? List.<ActionRequest>of() : requests) {
            ActionDTO a = store.inTransaction(() -> decide(name, alert, request, now));
            if (a == null) {
                said.add("already under way: " + request);
                continue;
            }
            metrics.decided(name, a.state == ActionState.REFUSED ? "refused" : a.state.label());
            said.add("action " + a.id.substring(0, 8) + " " + a.state.label() + ": " + a.description
                    + (a.state == ActionState.REFUSED ? " (" + a.output + ")" : ""));
            outcome = stronger(outcome, a.state);
        }
        wake();
        return new Response(name, alert.id(), outcome, said.isEmpty() ? "nothing to do" : String.join("; ", said));
    }

    private ActionDTO decide(String name, Alert alert, ActionRequest request, long now) throws java.sql.SQLException {
        String target = target(request.target());
        // A lasting action (a block) on a target it already holds adds nothing; every notification counts.
        if (request.lasts() != null && store.unfinished(name, request.verb(), target).isPresent()) {
            return null;
        }
        ActionDTO a = row(name, alert, request, now);
        Optional<String> tooLarge = ActionStore.tooLarge(a);
        Optional<String> protectedBy = tooLarge.isPresent() ? tooLarge : guardrails.allowlist().protects(request.target());
        String breakerOpen = openBreaker(name, now);
        if (protectedBy.isPresent()) {
            refuse(a, protectedBy.get());
        } else if (!store.armed(name)) {
            a.state = ActionState.DRY_RUN;
            a.output = "would have: " + request.description() + " (responder " + name + " is not armed)";
        } else if (!breakerOpen.isEmpty()) {
            refuse(a, "circuit breaker open: " + breakerOpen);
        } else if (!rate(name).tryStart(now)) {
            refuse(a, "rate limit: more than " + guardrails.ratePerMinute() + " actions per minute from " + name);
        } else if (!globalRate.tryStart(now)) {
            breakers.openAll("more than " + guardrails.globalRatePerMinute() + " actions per minute from all responders", now, store);
            refuse(a, "circuit breaker opened: " + breakers.all().openReason(now));
        } else if (store.waiting() >= guardrails.maxWaiting()) {
            refuse(a, "the action queue is full (" + guardrails.maxWaiting() + " waiting)");
        } else if (guardrails.needsApproval(name)) {
            a.state = ActionState.AWAITING_APPROVAL;
            a.dueMs = now + guardrails.approvalTimeout().toMillis();
            a.output = "waits for approval until " + java.time.Instant.ofEpochMilli(a.dueMs);
        } else {
            a.state = ActionState.QUEUED;
            a.dueMs = now;
            a.output = "queued";
        }
        store.insert(a, receiptKind(a.state));
        return a;
    }

    private static String receiptKind(ActionState state) {
        return switch (state) {
            case DRY_RUN -> "would-have";
            case REFUSED -> "refused";
            case AWAITING_APPROVAL -> "awaiting-approval";
            default -> "queued";
        };
    }

    private static final List<Response.Outcome> WEAKEST_FIRST =
            List.of(Response.Outcome.SKIPPED, Response.Outcome.DRY_RUN, Response.Outcome.PENDING);

    /** What a route hears of several actions: pending beats dry-run beats skipped. */
    private static Response.Outcome stronger(Response.Outcome soFar, ActionState state) {
        Response.Outcome next = switch (state) {
            case QUEUED, AWAITING_APPROVAL -> Response.Outcome.PENDING;
            case DRY_RUN -> Response.Outcome.DRY_RUN;
            default -> Response.Outcome.SKIPPED;
        };
        return WEAKEST_FIRST.indexOf(next) > WEAKEST_FIRST.indexOf(soFar) ? next : soFar;
    }

    private String openBreaker(String name, long now) {
        return breakers.openReason(name, now);
    }

    private RateWindow rate(String name) {
        return rates.computeIfAbsent(name, n -> new RateWindow(guardrails.ratePerMinute()));
    }

    private static void refuse(ActionDTO a, String why) {
        a.state = ActionState.REFUSED;
        a.output = why;
    }

    private static ActionDTO row(String name, Alert alert, ActionRequest request, long now) {
        ActionDTO a = new ActionDTO();
        a.id = UUID.randomUUID().toString();
        a.responder = name;
        a.alertId = alert.id();
        a.rule = alert.rule();
        a.entity = alert.entityId();
        a.verb = request.verb();
        a.target = target(request.target());
        a.description = request.description();
        a.parameters = request.parameters();
        a.lastsMs = request.lasts() == null ? 0 : request.lasts().toMillis();
        a.phase = ActionStore.DO;
        a.createdMs = now;
        a.changedMs = now;
        return a;
    }

    private static ActionRequest none(Alert alert) {
        return ActionRequest.of("none", Target.recipient(alert.entityId().isBlank() ? "-" : alert.entityId()), "nothing planned");
    }

    private static ActionDTO refused(String name, Alert alert, ActionRequest request, String why, long now) {
        ActionDTO a = row(name, alert, request, now);
        refuse(a, why);
        return a;
    }

    private static String target(Target t) {
        return t.kind().name().toLowerCase(Locale.ROOT) + ":" + t.value();
    }

    private static List<String> problems(ActionResponder responder) {
        try {
            List<String> p = responder.configurationProblems();
            return p == null ? List.of() : p;
        } catch (RuntimeException e) {
            return List.of("cannot check its configuration: " + e);
        }
    }

    // ---- the worker

    private void wake() {
        if (!wakePending.compareAndSet(false, true)) {
            return; // a run is queued already and will see this change
        }
        try {
            scheduler.execute(this::runDue);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // shutting down
        }
    }

    private void runDue() {
        wakePending.set(false);
        try {
            claimAndDispatch();
        } catch (RuntimeException e) {
            LOG.error("The response scheduler failed; it tries again in a minute", e);
            scheduleAt(clock.millis() + 60_000);
        }
    }

    private void claimAndDispatch() {
        long now = clock.millis();
        boolean breakerOpen = !breakers.all().openReason(now).isEmpty();
        int free = freeWorkers();
        List<ActionDTO> claimed = store.inTransaction(() -> {
            List<ActionDTO> out = new ArrayList<>();
            for (ActionDTO a : store.due(now, CLAIM_BATCH, !breakerOpen)) {
                if (a.state == ActionState.AWAITING_APPROVAL) {
                    a.state = ActionState.EXPIRED;
                    a.dueMs = 0;
                    a.changedMs = now;
                    a.output = "not approved within " + guardrails.approvalTimeout().toSeconds() + " s: never ran";
                    store.update(a, "expired");
                    metrics.finished(a.responder, "expired");
                } else if (out.size() < free) {
                    claim(a, now, out);
                }
            }
            return out;
        });
        for (ActionDTO a : claimed) {
            busy.incrementAndGet();
            Attempt attempt = new Attempt(a);
            attempt.deadline = scheduler.schedule(() -> overdue(attempt), guardrails.attemptTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            workers.execute(() -> run(attempt));
        }
        if (free == 0 && abandoned.get() > 0) {
            LOG.warn("{} attempts hang past their deadline; actions wait until one returns", abandoned.get());
        }
        // With a worker free, wake for the next due action; otherwise a finishing attempt wakes.
        if (freeWorkers() > 0) {
            long next = store.nextDue(!breakerOpen);
            if (breakerOpen) {
                long closes = breakers.all().openUntil();
                next = next == 0 ? closes : Math.min(next, closes);
            }
            if (next > 0) {
                scheduleAt(next);
            }
        }
    }

    private void claim(ActionDTO a, long now, List<ActionDTO> out) throws java.sql.SQLException {
        boolean undo = a.state != ActionState.QUEUED;
        if (!responders.containsKey(a.responder)) {
            a.dueMs = 0; // waits for its responder to come back (add)
            if (a.state == ActionState.ACTIVE) {
                a.state = ActionState.UNDO_QUEUED;
                a.phase = ActionStore.UNDO;
            }
            store.update(a, null);
            return;
        }
        String refusal = undo ? null : refusalBeforeRunning(a);
        if (refusal != null) {
            a.state = ActionState.REFUSED;
            a.dueMs = 0;
            a.changedMs = now;
            a.output = refusal;
            store.update(a, "refused");
            return;
        }
        CircuitBreaker own = breakers.of(a.responder);
        if (!undo && !own.openReason(now).isEmpty()) {
            a.dueMs = own.openUntil(); // waits for its responder's breaker to close
            store.update(a, null);
            return;
        }
        a.state = ActionState.RUNNING;
        a.phase = undo ? ActionStore.UNDO : ActionStore.DO;
        a.changedMs = now;
        store.update(a, null);
        out.add(a);
    }

    /**
     * What changed while the action waited (approval, retries) that forbids it now: the responder
     * disarmed or misconfigured, or its target allowlisted since. Inside a transaction.
     */
    private String refusalBeforeRunning(ActionDTO a) throws java.sql.SQLException {
        if (!store.armed(a.responder)) {
            return "responder " + a.responder + " was disarmed before the action ran";
        }
        List<String> problems = problems(responders.get(a.responder));
        if (!problems.isEmpty()) {
            String why = "configuration problems: " + String.join("; ", problems);
            store.setArmed(a.responder, false, "platform", clock.millis(), why);
            return why;
        }
        return guardrails.allowlist().protects(action(a, 1).request().target()).orElse(null);
    }

    private synchronized void scheduleAt(long dueMs) {
        // A wake whose time has come is running now (this very call may be its own): not pending.
        if (nextWake != null && !nextWake.isDone() && nextWakeAt > clock.millis()) {
            if (nextWakeAt <= dueMs) {
                return;
            }
            nextWake.cancel(false);
        }
        nextWakeAt = dueMs;
        try {
            nextWake = scheduler.schedule(this::runDue, Math.max(0, dueMs - clock.millis()), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // shutting down
        }
    }

    private int freeWorkers() {
        return Math.max(0, Math.min(guardrails.workers() - busy.get(), threads - busy.get() - abandoned.get()));
    }

    /** An attempt handed to a worker: the first to settle it, the worker or the deadline, records it. */
    private static final class Attempt {
        final ActionDTO action;
        final boolean undo;
        final int number;
        final AtomicBoolean settled = new AtomicBoolean();
        volatile ScheduledFuture<?> deadline;
        /** The worker while the responder's call runs (guarded by this): only then may the deadline interrupt it. */
        private Thread caller;

        Attempt(ActionDTO action) {
            this.action = action;
            this.undo = ActionStore.UNDO.equals(action.phase);
            this.number = action.attempts + 1;
        }
    }

    private void run(Attempt attempt) {
        try {
            ActionOutcome outcome = call(attempt);
            if (attempt.settled.compareAndSet(false, true)) {
                attempt.deadline.cancel(false);
                try {
                    record(attempt.action, attempt.undo, attempt.number, outcome, undoable(attempt.action.responder));
                } finally {
                    busy.decrementAndGet();
                }
            } else {
                try {
                    late(attempt, outcome);
                } finally {
                    abandoned.decrementAndGet();
                }
            }
        } finally {
            wake();
        }
    }

    private ActionOutcome call(Attempt attempt) {
        ActionDTO a = attempt.action;
        ActionResponder responder = responders.get(a.responder);
        if (responder == null) {
            return ActionOutcome.retry("responder " + a.responder + " is not installed");
        }
        synchronized (attempt) {
            attempt.caller = Thread.currentThread();
        }
        try {
            Action action = action(a, attempt.number);
            ActionOutcome outcome = attempt.undo ? responder.undo(action) : responder.execute(action);
            return outcome != null ? outcome : ActionOutcome.failed("the responder returned no outcome");
        } catch (Exception | LinkageError e) {
            return ActionOutcome.retry(e.toString());
        } finally {
            synchronized (attempt) {
                attempt.caller = null;
            }
            // A deadline's interrupt must not reach Derby, which closes an interrupted thread's connection.
            Thread.interrupted();
        }
    }

    /** On the scheduler: the attempt has no outcome by its deadline; it counts as failed and its thread is let go. */
    private void overdue(Attempt attempt) {
        if (!attempt.settled.compareAndSet(false, true)) {
            return;
        }
        synchronized (attempt) {
            if (attempt.caller != null) {
                attempt.caller.interrupt(); // ends waits that heed interrupts (processes, NIO); others run out
            }
        }
        busy.decrementAndGet();
        abandoned.incrementAndGet();
        ActionDTO a = attempt.action;
        String deadline = timeout();
        LOG.warn("Action {} of {}: attempt {} has no outcome after {}; abandoned", a.id, a.responder, attempt.number, deadline);
        metrics.finished(a.responder, "abandoned");
        record(a, attempt.undo, attempt.number, ActionOutcome.retry("no outcome within " + deadline + ": the call was "
                + "abandoned (if it still finishes, a receipt says so; a next attempt runs under the same id)"),
                undoable(a.responder));
        wake();
    }

    private String timeout() {
        Duration d = guardrails.attemptTimeout();
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** An abandoned attempt's call returned after all: its outcome is receipted, the action's state stays. */
    private void late(Attempt attempt, ActionOutcome outcome) {
        ActionDTO a = attempt.action;
        String said = "abandoned attempt " + attempt.number + " returned late, " + outcome.status().name().toLowerCase(Locale.ROOT)
                + ": " + outcome.output();
        LOG.warn("Action {} of {}: {}", a.id, a.responder, said);
        try {
            store.inTransaction(() -> {
                store.note(a.id, "late-outcome", ActionStore.capped(said), clock.millis());
                return null;
            });
            metrics.finished(a.responder, "late-outcome");
        } catch (RuntimeException e) {
            LOG.error("Action {}: the late outcome could not be receipted", a.id, e);
        }
    }

    private boolean undoable(String responder) {
        ActionResponder r = responders.get(responder);
        return r != null && r.undoable();
    }

    private void record(ActionDTO a, boolean undo, int attempt, ActionOutcome outcome, boolean undoable) {
        long now = clock.millis();
        a.changedMs = now;
        a.output = ActionStore.capped("attempt " + attempt + ": " + outcome.output());
        String kind;
        switch (outcome.status()) {
            case SUCCEEDED -> {
                breakers.succeeded(a.responder);
                a.attempts = 0;
                if (undo) {
                    a.state = ActionState.UNDONE;
                    a.dueMs = 0;
                    kind = "undone";
                } else if (undoable) {
                    a.state = ActionState.ACTIVE; // undone at its end, or (lasting until undone) by an operator
                    a.dueMs = a.lastsMs > 0 ? now + a.lastsMs : 0;
                    kind = "executed";
                } else {
                    a.state = ActionState.DONE;
                    a.dueMs = 0;
                    kind = "executed";
                }
            }
            case RETRY -> {
                a.attempts = attempt;
                if (attempt < guardrails.maxAttempts()) {
                    a.state = undo ? ActionState.UNDO_QUEUED : ActionState.QUEUED;
                    a.dueMs = now + guardrails.retryDelayMs(attempt);
                    kind = undo ? "undo-retry" : "retry";
                } else {
                    a.state = ActionState.FAILED;
                    a.dueMs = 0;
                    a.output += " (gave up after " + attempt + " attempts)";
                    kind = undo ? "undo-failed" : "failed";
                }
            }
            default -> {
                a.attempts = attempt;
                a.state = ActionState.FAILED;
                a.dueMs = 0;
                kind = undo ? "undo-failed" : "failed";
            }
        }
        try {
            store.inTransaction(() -> {
                store.update(a, kind);
                if (outcome.status() != ActionOutcome.Status.SUCCEEDED) {
                    breakers.failed(a.responder, now, store);
                }
                return null;
            });
        } catch (RuntimeException e) {
            // The action ran but its result is not saved: it stays running, and runs again (same id)
            // at the next start. Said loudly, because only a restart clears it.
            LOG.error("Action {} {}: its result ({}) could not be saved; it runs again at the next start", a.id, kind,
                    a.output, e);
            return;
        }
        metrics.finished(a.responder, kind);
        LOG.info("Action {} {} {} {}: {}", a.id, a.responder, a.verb, a.target, a.output);
    }

    private static Action action(ActionDTO a, int attempt) {
        String[] t = a.target.split(":", 2);
        ActionRequest request = ActionRequest.of(a.verb, Target.of(Target.Kind.valueOf(t[0].toUpperCase(Locale.ROOT)), t[1]),
                a.description).withParameters(a.parameters);
        if (a.lastsMs > 0) {
            request = request.lasting(Duration.ofMillis(a.lastsMs));
        }
        return new Action(a.id, a.responder, a.alertId, a.rule, a.entity, request, attempt);
    }

    // ---- ResponseAdmin

    @Override
    public List<ActionDTO> actions(List<ActionState> states, int limit) {
        return store.list(states, limit);
    }

    @Override
    public Optional<ActionDTO> action(String id) {
        return store.get(id);
    }

    @Override
    public List<ReceiptDTO> receipts(String actionId) {
        return store.receipts(actionId);
    }

    @Override
    public List<ResponderDTO> responders() {
        Map<String, ActionStore.Arming> armings = store.armings();
        TreeSet<String> names = new TreeSet<>(responders.keySet());
        names.addAll(armings.keySet());
        List<ResponderDTO> out = new ArrayList<>();
        for (String name : names) {
            ResponderDTO d = new ResponderDTO();
            d.name = name;
            ActionStore.Arming arming = armings.get(name);
            d.armed = arming != null && arming.armed();
            d.armedBy = arming == null ? "" : arming.changedBy();
            d.armedChangedMs = arming == null ? 0 : arming.changedMs();
            d.approvalRequired = guardrails.needsApproval(name);
            ActionResponder r = responders.get(name);
            d.present = r != null;
            d.undoable = r != null && r.undoable();
            d.problems = r == null ? List.of() : problems(r);
            out.add(d);
        }
        return out;
    }

    private ResponderDTO responder(String name) {
        return responders().stream().filter(r -> r.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no responder named " + name + " (amoskys:actions responders)"));
    }

    @Override
    public ResponderDTO arm(String name, String user) {
        ActionResponder r = responders.get(name);
        if (r == null) {
            throw new IllegalArgumentException("no action responder named " + name + " is installed");
        }
        List<String> problems = problems(r);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("responder " + name + " cannot be armed: " + String.join("; ", problems));
        }
        long now = clock.millis();
        store.inTransaction(() -> {
            store.setArmed(name, true, user, now, "armed by " + user);
            return null;
        });
        LOG.warn("Responder {} armed by {}: its actions now run", name, user);
        return responder(name);
    }

    @Override
    public ResponderDTO disarm(String name, String user) {
        responder(name);
        long now = clock.millis();
        store.inTransaction(() -> {
            store.setArmed(name, false, user, now, "disarmed by " + user);
            return null;
        });
        LOG.warn("Responder {} disarmed by {}: its actions are only described", name, user);
        return responder(name);
    }

    @Override
    public ActionDTO approve(String id, String user) {
        return decideByHand(id, user, ActionState.AWAITING_APPROVAL, ActionState.QUEUED, "approved");
    }

    @Override
    public ActionDTO reject(String id, String user) {
        return decideByHand(id, user, ActionState.AWAITING_APPROVAL, ActionState.REJECTED, "rejected");
    }

    @Override
    public ActionDTO undo(String id, String user) {
        ActionDTO a = store.get(id).orElseThrow(() -> new NoSuchElementException("no action " + id));
        ActionResponder r = responders.get(a.responder);
        boolean failedUndo = a.state == ActionState.FAILED && ActionStore.UNDO.equals(a.phase);
        if ((a.state == ActionState.DONE || failedUndo) && (r == null || !r.undoable())) {
            throw new IllegalStateException("action " + a.id + " of " + a.responder + " cannot be undone");
        }
        ActionState from = a.state == ActionState.DONE || failedUndo ? a.state : ActionState.ACTIVE;
        return decideByHand(a.id, user, from, ActionState.UNDO_QUEUED, "undo-requested");
    }

    private ActionDTO decideByHand(String id, String user, ActionState from, ActionState to, String kind) {
        long now = clock.millis();
        ActionDTO done = store.inTransaction(() -> {
            ActionDTO a = store.find(id).orElseThrow(() -> new NoSuchElementException("no action " + id));
            if (a.state != from) {
                throw new IllegalStateException("action " + a.id + " is " + a.state.label() + ", not " + from.label());
            }
            if (from == ActionState.AWAITING_APPROVAL && a.dueMs <= now) {
                return null; // expired already: the scheduler receipts it as expired
            }
            a.state = to;
            if (to == ActionState.UNDO_QUEUED) {
                a.phase = ActionStore.UNDO;
                a.attempts = 0;
            }
            a.dueMs = to.finished() ? 0 : now;
            a.changedMs = now;
            a.decidedBy = user;
            a.output = kind + " by " + user;
            store.update(a, kind);
            return a;
        });
        wake();
        if (done == null) {
            throw new IllegalStateException("action " + id + " was not approved in time and has expired");
        }
        metrics.finished(done.responder, kind);
        return done;
    }

    @Override
    public boolean resetBreaker(String user) {
        long now = clock.millis();
        List<String> open = breakers.open(now);
        if (!open.isEmpty()) {
            store.inTransaction(() -> {
                store.breakersReset(user, open, now);
                return null;
            });
            LOG.warn("Circuit breaker reset by {}: {}", user, String.join("; ", open));
        }
        breakers.reset(now);
        wake();
        return !open.isEmpty();
    }

    @Override
    public String breaker() {
        return String.join("; ", breakers.open(clock.millis()));
    }

    long breakerOpenings() {
        return breakers.openings();
    }

    int abandonedAttempts() {
        return abandoned.get();
    }

    // ---- retention

    private static final int PRUNE_BATCH = 5_000;

    /** On the scheduler, every six hours: finished actions and receipts past retention go, in batches. */
    private void pruneOld() {
        try {
            prune(clock.millis() - guardrails.retain().toMillis());
        } catch (RuntimeException e) {
            LOG.error("Pruning old actions and receipts failed; it runs again in six hours", e);
        }
    }

    /** Prunes what was finished before {@code beforeMs}; returns the receipts removed. */
    long prune(long beforeMs) {
        long receipts = 0;
        ActionStore.Pruned pruned;
        do {
            pruned = store.prune(beforeMs, PRUNE_BATCH, clock.millis());
            if (pruned != null) {
                receipts += pruned.receipts();
                LOG.info("Retention: removed {} receipts (through {}) and {} finished actions older than {}", pruned.receipts(),
                        pruned.throughSeq(), pruned.actions(), java.time.Instant.ofEpochMilli(beforeMs));
            }
        } while (pruned != null && pruned.receipts() == PRUNE_BATCH);
        return receipts;
    }

    int busyWorkers() {
        return busy.get();
    }

    @Override
    public Verification verify() {
        return store.verify();
    }

    @Override
    public void close() {
        // No interrupts: Derby closes a connection whose thread is interrupted mid-statement.
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        scheduler.shutdown();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS) || !scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Response workers still busy after 30 s; an unfinished action runs again at the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
