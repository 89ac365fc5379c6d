package io.amoskys.response.internal;

import io.amoskys.api.response.Action;
import io.amoskys.api.response.ActionOutcome;
import io.amoskys.api.response.ActionRequest;
import io.amoskys.api.response.ActionResponder;
import io.amoskys.api.response.Target;
import io.amoskys.response.admin.ActionDTO;
import io.amoskys.response.admin.ActionState;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the queued actions that {@link ResponseEngine} decided. One scheduler thread claims
 * what is due (approval expiries, attempts, undos) and hands it to a bounded pool of workers; it
 * wakes at the next due time, never by polling. Each attempt has a deadline; its outcome and
 * receipt are one transaction. The scheduler also prunes what retention lets go.
 */
final class ActionWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActionWorker.class);
    private static final int CLAIM_BATCH = 256;

    private final ActionStore store;
    private final Guardrails guardrails;
    private final Clock clock;
    private final ResponseMetrics metrics;
    private final Breakers breakers;
    /** The engine's installed responders, by name. */
    private final Map<String, ActionResponder> responders;
    private final ScheduledThreadPoolExecutor scheduler;
    /** Attempt deadlines, on a thread of their own: a scheduler held up (a slow database) still interrupts a hung call. */
    private final ScheduledThreadPoolExecutor deadlines;
    /** Twice the configured workers: room for as many attempts again that hang past their deadline. */
    private final ThreadPoolExecutor workers;
    private final int threads;
    private final AtomicInteger busy = new AtomicInteger();
    /** Notified each time an attempt is settled (recorded or abandoned): {@link #close} waits on it. */
    private final Object settling = new Object();
    /** Attempts given up at their deadline whose call has not returned yet; each still holds a thread. */
    private final AtomicInteger abandoned = new AtomicInteger();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    /** Set first by {@link #close}: a claim round already queued claims nothing. */
    private volatile boolean closing;
    /** Actions handed to a worker whose attempt is not settled yet (recorded or abandoned). */
    private final Map<String, Attempt> inFlight = new ConcurrentHashMap<>();
    /** Held while a late outcome or {@link #giveUpHungCalls} reads an action and writes it: one decides at a time. */
    private final Object deciding = new Object();
    /** Actions whose abandoned call has not returned: none runs again until it has (two calls at once under one id). */
    private final Map<String, Attempt> outstanding = new ConcurrentHashMap<>();
    private int warnedAbandoned;
    private ScheduledFuture<?> nextWake;
    private long nextWakeAt;

    ActionWorker(ActionStore store, Guardrails guardrails, Clock clock, ResponseMetrics metrics, Breakers breakers,
            Map<String, ActionResponder> responders) {
        this.store = store;
        this.guardrails = guardrails;
        this.clock = clock;
        this.metrics = metrics;
        this.breakers = breakers;
        this.responders = responders;
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "amoskys-response-scheduler"));
        scheduler.setRemoveOnCancelPolicy(true);
        this.deadlines = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "amoskys-response-deadlines"));
        deadlines.setRemoveOnCancelPolicy(true);
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


    /** Something changed (an action queued, approved, a responder back): claim what is due now. */
    void wake() {
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
        if (closing) {
            return;
        }
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
        // Asked before the transaction: a plugin's check (a file system, an interface) must not hold the store.
        Map<String, List<String>> problems = new java.util.HashMap<>();
        responders.forEach((name, responder) -> problems.put(name, ResponseEngine.problems(responder)));
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
                    claim(a, now, out, problems);
                }
            }
            return out;
        });
        for (ActionDTO a : claimed) {
            busy.incrementAndGet();
            Attempt attempt = new Attempt(a);
            inFlight.put(a.id, attempt);
            try {
                attempt.deadline = deadlines.schedule(() -> overdue(attempt), guardrails.attemptTimeout().toMillis(),
                        TimeUnit.MILLISECONDS);
                workers.execute(() -> run(attempt));
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                // Stopped while this round claimed (a plugin's check held it past close's wait): never
                // called, so it stays running and runs at the next start.
                if (attempt.settled.compareAndSet(false, true)) {
                    if (attempt.deadline != null) {
                        attempt.deadline.cancel(false);
                    }
                    settled(attempt);
                }
            }
        }
        int hung = abandoned.get();
        if (free == 0 && hung > 0 && hung != warnedAbandoned) { // once per change, not at every wake
            LOG.warn("{} attempts hang past their deadline; actions wait until one returns", hung);
        }
        warnedAbandoned = free == 0 ? hung : 0;
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

    private void claim(ActionDTO a, long now, List<ActionDTO> out, Map<String, List<String>> problems)
            throws java.sql.SQLException {
        boolean undo = a.state != ActionState.QUEUED;
        if (outstanding.containsKey(a.id)) {
            a.dueMs = 0; // its abandoned call has not returned: late() queues it again
            store.update(a, null);
            return;
        }
        if (!responders.containsKey(a.responder)) {
            a.dueMs = 0; // waits for its responder to come back (add)
            if (a.state == ActionState.ACTIVE) {
                a.state = ActionState.UNDO_QUEUED;
                a.phase = ActionStore.UNDO;
            }
            store.update(a, null);
            return;
        }
        String refusal = undo ? null : refusalBeforeRunning(a, problems.getOrDefault(a.responder, List.of()));
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
    private String refusalBeforeRunning(ActionDTO a, List<String> problems) throws java.sql.SQLException {
        if (!store.armed(a.responder)) {
            return "responder " + a.responder + " was disarmed before the action ran";
        }
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
        /** Counted down once the deadline has recorded the attempt as abandoned: a late outcome is read against that. */
        final java.util.concurrent.CountDownLatch abandonment = new java.util.concurrent.CountDownLatch(1);
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
            if (outcome != null && attempt.settled.compareAndSet(false, true)) {
                attempt.deadline.cancel(false);
                try {
                    record(attempt.action, attempt.undo, attempt.number, outcome, undoable(attempt.action.responder), false);
                } finally {
                    settled(attempt);
                }
            } else {
                try {
                    late(attempt, outcome != null ? outcome
                            : ActionOutcome.retry("the worker started after the deadline; the responder was not called"));
                } finally {
                    abandoned.decrementAndGet();
                }
            }
        } finally {
            wake();
        }
    }

    /** The responder's outcome, or null when the deadline passed before the call began. */
    private ActionOutcome call(Attempt attempt) {
        ActionDTO a = attempt.action;
        ActionResponder responder = responders.get(a.responder);
        if (responder == null) {
            return ActionOutcome.retry("responder " + a.responder + " is not installed");
        }
        synchronized (attempt) {
            if (attempt.settled.get()) {
                return null;
            }
            attempt.caller = Thread.currentThread();
        }
        try {
            Action action = action(a, attempt.number);
            ActionOutcome outcome = attempt.undo ? responder.undo(action) : responder.execute(action);
            return outcome != null ? outcome : ActionOutcome.failed("the responder returned no outcome");
        } catch (Throwable e) { // whatever a plugin throws, the attempt is settled: an unsettled one holds a thread for good
            return ActionOutcome.retry(e.toString());
        } finally {
            synchronized (attempt) {
                attempt.caller = null;
            }
            // A deadline's interrupt must not reach Derby, which closes an interrupted thread's connection.
            Thread.interrupted();
        }
    }

    /**
     * On the deadline thread: the attempt has no outcome by its deadline. It counts as failed, its
     * thread is let go, and the action waits (due 0) until the call returns, so that two calls
     * never run at once under one id; after the last attempt it is failed.
     */
    private void overdue(Attempt attempt) {
        if (!attempt.settled.compareAndSet(false, true)) {
            return;
        }
        ActionDTO a = attempt.action;
        outstanding.put(a.id, attempt);
        synchronized (attempt) {
            if (attempt.caller != null) {
                attempt.caller.interrupt(); // ends waits that heed interrupts (processes, NIO); others run out
            }
        }
        abandoned.incrementAndGet();
        String deadline = timeout();
        LOG.warn("Action {} of {}: attempt {} has no outcome after {}; abandoned", a.id, a.responder, attempt.number, deadline);
        metrics.finished(a.responder, "abandoned");
        try {
            record(a, attempt.undo, attempt.number, ActionOutcome.retry("no outcome within " + deadline + ": the call was "
                    + "abandoned; the action waits for it to return"), undoable(a.responder), true);
        } finally {
            attempt.abandonment.countDown();
            settled(attempt);
        }
        wake();
    }

    private void settled(Attempt attempt) {
        inFlight.remove(attempt.action.id, attempt);
        busy.decrementAndGet();
        notifySettling();
    }

    private void notifySettling() {
        synchronized (settling) {
            settling.notifyAll();
        }
    }

    private String timeout() {
        Duration d = guardrails.attemptTimeout();
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /**
     * An abandoned attempt's call returned after all. Its outcome is the attempt's outcome when
     * the action still waits for it, and a success counts even after the action was given up (what
     * ran is in place: it is active and undone in time, or done); otherwise it is receipted only.
     */
    private void late(Attempt attempt, ActionOutcome outcome) {
        ActionDTO a = attempt.action;
        LOG.warn("Action {} of {}: abandoned attempt {} returned, {}: {}", a.id, a.responder, attempt.number,
                outcome.status().name().toLowerCase(Locale.ROOT), outcome.output());
        try {
            // An interrupted call returns at once, maybe before the deadline has written its retry.
            while (!attempt.abandonment.await(1, TimeUnit.MINUTES)) {
                LOG.warn("Action {}: the late outcome waits for the deadline's record", a.id);
            }
        } catch (InterruptedException e) {
            // The flag is cleared with the exception (nothing reaches Derby interrupted); the record is read as it is.
        }
        try {
            synchronized (deciding) {
                decideLate(attempt, outcome);
            }
        } catch (RuntimeException e) {
            LOG.error("Action {}: the late outcome could not be recorded", a.id, e);
        } finally {
            outstanding.remove(a.id, attempt);
            notifySettling();
        }
    }

    private void decideLate(Attempt attempt, ActionOutcome outcome) {
        ActionDTO a = attempt.action;
        ActionDTO now = store.get(a.id).orElse(null);
        boolean sameAttempt = now != null && now.phase.equals(a.phase) && now.attempts == attempt.number;
        boolean waiting = sameAttempt && (now.state == ActionState.QUEUED || now.state == ActionState.UNDO_QUEUED);
        boolean givenUp = sameAttempt && now.state == ActionState.FAILED;
        if (waiting || (givenUp && outcome.status() == ActionOutcome.Status.SUCCEEDED)) {
            record(now, attempt.undo, attempt.number, afterDeadline(outcome), undoable(a.responder), false);
        } else {
            store.inTransaction(() -> {
                store.note(a.id, "late-outcome", ActionStore.capped("abandoned attempt " + attempt.number + " returned, "
                        + outcome.status().name().toLowerCase(Locale.ROOT) + ": " + outcome.output()), clock.millis());
                return null;
            });
            metrics.finished(a.responder, "late-outcome");
        }
    }

    private static ActionOutcome afterDeadline(ActionOutcome outcome) {
        String said = "returned after its deadline: " + outcome.output();
        return switch (outcome.status()) {
            case SUCCEEDED -> ActionOutcome.succeeded(said);
            case RETRY -> ActionOutcome.retry(said);
            default -> ActionOutcome.failed(said);
        };
    }

    private boolean undoable(String responder) {
        ActionResponder r = responders.get(responder);
        return r != null && r.undoable();
    }

    /** {@code park}: a retry waits (due 0) for an abandoned call instead of its retry delay. */
    private void record(ActionDTO a, boolean undo, int attempt, ActionOutcome outcome, boolean undoable, boolean park) {
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
                    a.dueMs = park ? 0 : now + guardrails.retryDelayMs(attempt);
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

    // ---- retention

    private static final int PRUNE_BATCH = 5_000;

    /**
     * On the scheduler, a minute after start and every six hours: one batch of what retention lets
     * go, then the next batch a second later, so that a large first pruning does not hold the
     * scheduler (and the store) for long.
     */
    private void pruneOld() {
        try {
            ActionStore.Pruned pruned = pruneBatch(clock.millis() - guardrails.retain().toMillis());
            if (pruned != null && pruned.receipts() == PRUNE_BATCH) {
                scheduler.schedule(this::pruneOld, 1, TimeUnit.SECONDS);
            }
        } catch (RuntimeException e) {
            LOG.error("Pruning old actions and receipts failed; it runs again in six hours", e);
        }
    }

    /** Prunes what was finished before {@code beforeMs}, batch after batch; returns the receipts removed. */
    long prune(long beforeMs) {
        long receipts = 0;
        ActionStore.Pruned pruned;
        do {
            pruned = pruneBatch(beforeMs);
            receipts += pruned == null ? 0 : pruned.receipts();
        } while (pruned != null && pruned.receipts() == PRUNE_BATCH);
        return receipts;
    }

    private ActionStore.Pruned pruneBatch(long beforeMs) {
        ActionStore.Pruned pruned = store.prune(beforeMs, PRUNE_BATCH, clock.millis());
        if (pruned != null && pruned.receipts() > 0) {
            LOG.info("Retention: removed {} receipts (through {}) and {} finished actions older than {}", pruned.receipts(),
                    pruned.throughSeq(), pruned.actions(), java.time.Instant.ofEpochMilli(beforeMs));
        }
        if (pruned != null && pruned.heldBy() != null) {
            LOG.warn("Retention keeps every receipt from the first of {} on, since it is not finished", pruned.heldBy());
        }
        return pruned;
    }

    int busyWorkers() {
        return busy.get();
    }

    int abandonedAttempts() {
        return abandoned.get();
    }

    /**
     * Stops claiming, then waits until every attempt under way is settled: recorded, or abandoned at
     * its deadline, which still runs. When the service stops but the JVM goes on ({@code
     * processGoesOn}: a configuration change, a bundle update), an action whose call has still not
     * returned is given up ({@link #giveUpHungCalls}): the next service in this JVM must not run it
     * again beside that call. When the platform stops, such calls end with the process, and the
     * next start runs their actions again under their ids, as after a crash.
     */
    void close(boolean processGoesOn) {
        closing = true;
        // No interrupts: Derby closes a connection whose thread is interrupted mid-statement. An
        // interrupt of this thread is kept for the end: the waits below must not be cut short by it.
        interruptedWhileClosing = Thread.interrupted();
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        scheduler.shutdown();
        awaitTermination(scheduler); // a claim round under way dispatches its attempts first
        workers.shutdown();
        long attemptMs = guardrails.attemptTimeout().toMillis();
        if (!awaitUninterruptibly(() -> busy.get() == 0, attemptMs + SETTLE_GRACE_MS)) {
            LOG.warn("Response attempts still unsettled {} ms after their deadline", SETTLE_GRACE_MS);
        }
        // A call interrupted at its deadline usually returns at once: its outcome is then recorded.
        awaitUninterruptibly(outstanding::isEmpty, SETTLE_GRACE_MS);
        interruptedWhileClosing |= Thread.interrupted();
        deadlines.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        deadlines.shutdown();
        if (processGoesOn) {
            giveUpHungCalls();
        }
        if (interruptedWhileClosing) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(true);
    }

    /** Time for a deadline's record to be written, or an interrupted call to return, at close. */
    private static final long SETTLE_GRACE_MS = 5_000;

    /**
     * Waits on the settling monitor until {@code done}, at most {@code timeoutMs}. An interrupt does
     * not end the wait; it is cleared, and whether one came is for the caller to restore.
     *
     * @return whether {@code done} came true
     */
    private boolean awaitUninterruptibly(java.util.function.BooleanSupplier done, long timeoutMs) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (settling) {
            while (!done.getAsBoolean()) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(settling, left);
                } catch (InterruptedException e) {
                    interruptedWhileClosing = true;
                }
            }
        }
        return true;
    }

    /** An interrupt came before or during {@link #close}'s waits, restored at its end (only the closing thread touches it). */
    private boolean interruptedWhileClosing;

    private void awaitTermination(ScheduledThreadPoolExecutor executor) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                if (!executor.awaitTermination(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    LOG.warn("The response scheduler is still busy after 30 s");
                }
                return;
            } catch (InterruptedException e) {
                interruptedWhileClosing = true;
            }
        }
    }

    /**
     * At close, when the JVM goes on: actions whose call has still not returned, abandoned at its
     * deadline (queued, due 0, waiting for it) or not even settled (running). A new worker in this
     * JVM cannot know of that call and would run the action again beside it. So each is failed
     * with the reason, and an operator checks its target. If the call returns before the store
     * closes, its outcome is still recorded ({@link #late}).
     */
    private void giveUpHungCalls() {
        for (Attempt attempt : List.copyOf(inFlight.values())) {
            // Settled here, as the deadline settles: the worker and the deadline then leave the record to late().
            if (attempt.settled.compareAndSet(false, true)) {
                outstanding.put(attempt.action.id, attempt);
                abandoned.incrementAndGet();
                synchronized (attempt) {
                    if (attempt.caller != null) {
                        attempt.caller.interrupt();
                    }
                }
                try {
                    giveUp(attempt, ActionState.RUNNING);
                } finally {
                    attempt.abandonment.countDown();
                    settled(attempt);
                }
            }
        }
        for (Attempt attempt : List.copyOf(outstanding.values())) {
            if (attempt.abandonment.getCount() > 0) {
                continue; // just given up above, or its deadline's record is still being written (a stuck store)
            }
            giveUp(attempt, attempt.undo ? ActionState.UNDO_QUEUED : ActionState.QUEUED);
        }
    }

    /** Fails the attempt's action if it is still as {@code expected} left it (for queued: parked for the call). */
    private void giveUp(Attempt attempt, ActionState expected) {
        String id = attempt.action.id;
        try {
            synchronized (deciding) {
                store.inTransaction(() -> {
                    ActionDTO a = store.find(id).orElse(null);
                    boolean still = a != null && a.state == expected && (expected == ActionState.RUNNING || a.dueMs == 0);
                    if (!still) {
                        return null; // its call returned meanwhile and was recorded
                    }
                    a.state = ActionState.FAILED;
                    a.attempts = attempt.number; // a late success of this attempt is still recorded (late())
                    a.dueMs = 0;
                    a.changedMs = clock.millis();
                    a.output = ActionStore.capped("attempt " + attempt.number + (attempt.undo ? " to undo" : "")
                            + " had not returned when the response service stopped; it is not run again, so that it never "
                            + "runs twice at once. Check " + a.target + (attempt.undo ? " once the call has ended (at the latest "
                            + "with the platform); then amoskys:actions undo " + a.id + " runs the undo again" : ""));
                    store.update(a, attempt.undo ? "undo-failed" : "failed");
                    metrics.finished(a.responder, attempt.undo ? "undo-failed" : "failed");
                    LOG.error("Action {} of {}: {}", a.id, a.responder, a.output);
                    return null;
                });
            }
        } catch (RuntimeException e) {
            LOG.error("Action {}: could not be given up at close", id, e);
        }
    }
}
