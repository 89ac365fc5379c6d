package io.amoskys.response.internal;

import io.amoskys.api.alert.AlertDTO;
import io.amoskys.api.alert.AlertQuery;
import io.amoskys.api.alert.AlertState;
import io.amoskys.api.alert.AlertStore;
import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Response;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guardrails every action responder's actions pass; {@link ActionWorker} carries them out.
 *
 * <p>A route's alert is planned by the responder and each proposed action is decided at once, in
 * this order: a duplicate of an unfinished action is skipped; an allowlisted target is refused;
 * an unarmed responder only records what it would have done; an open circuit breaker, a full rate
 * window or a full queue refuse; otherwise the action is queued, or waits for approval. Every
 * decision and every attempt is one transaction with its signed receipt in {@link ActionStore}.
 *
 * <p>An alert refused by a guardrail that passes (rate window, circuit breaker, full queue) is
 * held ({@link Reconsideration}) and offered again by {@link #reconsider()} once that guardrail has
 * room, if the alert store has seen its rule and entity raised again since: an entity that keeps
 * going is acted on, even when a burst of other alerts took the budget when it was first seen.
 */
public final class ResponseEngine implements ResponseAdmin, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseEngine.class);
    /** Ends a refusal whose alert is held: the receipt says what will happen. */
    static final String OFFERED_AGAIN = "; offered again once there is room, if its alert is raised again";

    private final ActionStore store;
    private final Guardrails guardrails;
    private final Clock clock;
    private final ResponseMetrics metrics;
    private final Map<String, ActionResponder> responders = new ConcurrentHashMap<>();
    private final Map<String, RateWindow> rates = new ConcurrentHashMap<>();
    private final RateWindow globalRate;
    private final Breakers breakers;
    private final ActionWorker worker;
    private final Reconsideration held = new Reconsideration();
    /** Where the engine learns whether a refused alert was raised again; none installed: nothing is offered again. */
    private volatile AlertStore alerts;

    public ResponseEngine(ActionStore store, Guardrails guardrails, Clock clock, ResponseMetrics metrics) {
        this.store = store;
        this.guardrails = guardrails;
        this.clock = clock;
        this.metrics = metrics;
        this.globalRate = new RateWindow(guardrails.globalRatePerMinute());
        this.breakers = new Breakers(guardrails.breakerFailures(), guardrails.breakerCooldown().toMillis(),
                store.openBreakers(clock.millis()));
        this.worker = new ActionWorker(store, guardrails, clock, metrics, breakers, responders);
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
        worker.wake();
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
                said.add("already under way or decided for this alert: " + request);
                continue;
            }
            if (a.state == ActionState.REFUSED && a.output.endsWith(OFFERED_AGAIN)) {
                held.hold(name, alert, now); // after the commit: held exactly when its receipt says so
            }
            metrics.decided(name, a.state == ActionState.REFUSED ? "refused" : a.state.label());
            said.add("action " + a.id.substring(0, 8) + " " + a.state.label() + ": " + a.description
                    + (a.state == ActionState.REFUSED ? " (" + a.output + ")" : ""));
            outcome = stronger(outcome, a.state);
        }
        worker.wake();
        return new Response(name, alert.id(), outcome, said.isEmpty() ? "nothing to do" : String.join("; ", said));
    }

    private ActionDTO decide(String name, Alert alert, ActionRequest request, long now) throws java.sql.SQLException {
        String target = target(request.target());
        // A lasting action (a block) on a target it already holds adds nothing; every notification counts,
        // once per alert: a held alert offered again (or one delivered twice) repeats none already decided.
        if (request.lasts() != null && store.unfinished(name, request.verb(), target).isPresent()
                || store.decidedFor(alert.id(), name, request.verb(), target)) {
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
            refuseForNow(a, "circuit breaker open: " + breakerOpen);
        } else if (!rate(name).tryStart(now)) {
            refuseForNow(a, "rate limit: more than " + guardrails.ratePerMinute() + " actions per minute from " + name);
        } else if (!globalRate.tryStart(now)) {
            breakers.openAll("more than " + guardrails.globalRatePerMinute() + " actions per minute from all responders", now, store);
            refuseForNow(a, "circuit breaker opened: " + breakers.all().openReason(now));
        } else if (store.waiting() >= guardrails.maxWaiting()) {
            refuseForNow(a, "the action queue is full (" + guardrails.maxWaiting() + " waiting)");
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

    /** A refusal by a guardrail that passes: with an alert store to tell, the alert will be held ({@link #submit}). */
    private void refuseForNow(ActionDTO a, String why) {
        refuse(a, why + (alerts == null ? "" : OFFERED_AGAIN));
    }

    // ---- alerts refused for now, offered again

    public void alerts(AlertStore store) {
        this.alerts = store;
    }

    /** Forgets {@code gone} if it is the current alert store (a newer one may already have replaced it). */
    public void clearAlerts(AlertStore gone) {
        if (alerts == gone) {
            alerts = null;
        }
    }

    /**
     * Offers the held alerts that were raised again since their refusal (their open alert in the
     * store was admitted again), most often raised first, while their responder's guardrails have
     * room; the others wait. The store is asked only when some held alert's responder has room:
     * not while a flood keeps the windows full. A held alert whose open alert began after its
     * refusal is let go: that newer alert went to the responders by itself. Called every few seconds.
     *
     * @return how many were offered
     */
    public int reconsider() {
        AlertStore store = alerts;
        long now = clock.millis();
        List<Reconsideration.Held> waiting = held.held(now);
        if (store == null || waiting.isEmpty()) {
            return 0;
        }
        Map<String, Boolean> room = new HashMap<>();
        List<Reconsideration.Held> ready = waiting.stream()
                .filter(h -> room.computeIfAbsent(h.responder(), name -> roomFor(name, now))).toList();
        if (ready.isEmpty()) {
            return 0;
        }
        Map<String, AlertDTO> raised = raisedSince(store, ready.get(0).refusedMs());
        List<Candidate> again = new ArrayList<>();
        for (Reconsideration.Held h : ready) {
            AlertDTO open = raised.get(h.alert().rule() + '\u0000' + h.alert().entityId());
            if (open == null || open.lastAdmittedMillis <= h.refusedMs()) {
                continue; // not raised again (yet)
            }
            if (open.createdMillis > h.refusedMs()) {
                held.drop(h);
            } else {
                again.add(new Candidate(h, open.count));
            }
        }
        again.sort(Comparator.comparingLong(Candidate::count).reversed());
        int offered = 0;
        for (Candidate c : again) {
            String name = c.held().responder();
            if (!roomFor(name, now) || !held.take(c.held())) {
                continue;
            }
            try {
                Response r = submit(name, c.held().alert());
                held.offered();
                offered++;
                LOG.info("Alert {} of rule {} on {} was raised again ({} in all) after a refusal for {}: offered again: {}",
                        c.held().alert().id(), c.held().alert().rule(), c.held().alert().entityId(), c.count(), name, r.action());
            } catch (RuntimeException e) {
                held.hold(name, c.held().alert(), c.held().refusedMs()); // the next round tries again
                LOG.warn("Alert {} could not be offered again to {}: {}", c.held().alert().id(), name, e.toString());
            }
        }
        return offered;
    }

    private record Candidate(Reconsideration.Held held, long count) {}

    /** The open alerts admitted after {@code sinceMs}, by rule and entity. */
    private static Map<String, AlertDTO> raisedSince(AlertStore store, long sinceMs) {
        AlertQuery q = new AlertQuery();
        q.states = List.of(AlertState.NEW.label(), AlertState.ACKNOWLEDGED.label());
        q.sinceMillis = sinceMs + 1;
        q.limit = 10_000;
        Map<String, AlertDTO> byKey = new HashMap<>();
        for (AlertDTO a : store.list(q)) {
            byKey.merge(a.rule + '\u0000' + a.entity, a, (x, y) -> x.lastAdmittedMillis >= y.lastAdmittedMillis ? x : y);
        }
        return byKey;
    }

    /** Whether an action of {@code name} would pass the guardrails that pass, now (without counting it). */
    private boolean roomFor(String name, long now) {
        return responders.containsKey(name) && openBreaker(name, now).isEmpty() && rate(name).hasRoom(now)
                && globalRate.hasRoom(now) && store.inTransaction(() -> store.armed(name) && store.waiting() < guardrails.maxWaiting());
    }

    /** Alerts held to be offered again now. */
    public int heldAlerts() {
        return held.size();
    }

    /** Held alerts offered again so far, and let go because too many were held. */
    public long heldOffered() {
        return held.offeredSoFar();
    }

    public long heldDropped() {
        return held.dropped();
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

    static List<String> problems(ActionResponder responder) {
        try {
            List<String> p = responder.configurationProblems();
            return p == null ? List.of() : p;
        } catch (RuntimeException e) {
            return List.of("cannot check its configuration: " + e);
        }
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
        worker.wake();
        if (done == null) {
            throw new IllegalStateException("action " + id + " was not approved in time and has expired");
        }
        metrics.finished(done.responder, kind);
        return done;
    }

    @Override
    public boolean resetBreaker(String user) {
        long now = clock.millis();
        // Under the store's lock, as openings are: one opened meanwhile is either reset and receipted, or stays.
        List<String> open = store.inTransaction(() -> {
            List<String> was = breakers.open(now);
            if (!was.isEmpty()) {
                store.breakersReset(user, was, now);
            }
            breakers.reset(now);
            return was;
        });
        if (!open.isEmpty()) {
            LOG.warn("Circuit breaker reset by {}: {}", user, String.join("; ", open));
        }
        worker.wake();
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
        return worker.abandonedAttempts();
    }

    int busyWorkers() {
        return worker.busyWorkers();
    }

    /** Prunes what was finished before {@code beforeMs} (retention); returns the receipts removed. */
    long prune(long beforeMs) {
        return worker.prune(beforeMs);
    }

    @Override
    public Verification verify() {
        return store.verify();
    }

    @Override
    public void close() {
        close(true);
    }

    /** @param processGoesOn false when the whole platform stops (see {@link ActionWorker#close(boolean)}) */
    public void close(boolean processGoesOn) {
        worker.close(processGoesOn);
    }
}
