package io.amoskys.response.rest;

import io.amoskys.response.admin.ActionDTO;
import io.amoskys.response.admin.ActionState;
import io.amoskys.response.admin.ReceiptDTO;
import io.amoskys.response.admin.ResponderDTO;
import io.amoskys.response.admin.ResponseAdmin;
import io.amoskys.response.admin.Verification;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The guardrails' admin as the REST API sees it, in memory: it answers and refuses as the engine
 * does (the same exceptions for unknown, ambiguous and wrongly placed ids, for responders that
 * cannot be armed), and keeps a receipt of every decision with its user.
 */
final class FakeResponseAdmin implements ResponseAdmin {
    final Map<String, ActionDTO> actions = new LinkedHashMap<>();
    final Map<String, ResponderDTO> responders = new LinkedHashMap<>();
    final List<ReceiptDTO> receipts = new ArrayList<>();
    String breaker = "";
    boolean intact = true;

    ActionDTO add(String id, String responder, ActionState state, long createdMs) {
        ActionDTO a = new ActionDTO();
        a.id = id;
        a.responder = responder;
        a.alertId = "alert-" + id;
        a.rule = "sigma:tcp-syn-scan";
        a.entity = "host:10.0.0.66";
        a.verb = "block";
        a.target = "address:10.0.0.66";
        a.description = "drop packets from 10.0.0.66 for 600 s";
        a.parameters = Map.of("set", "amoskys_block");
        a.lastsMs = 600_000;
        a.state = state;
        a.phase = "do";
        a.createdMs = createdMs;
        a.changedMs = createdMs;
        a.output = state == ActionState.DRY_RUN ? "would have blocked 10.0.0.66" : "";
        actions.put(id, a);
        receipt(a, "planned", null);
        return a;
    }

    ResponderDTO responder(String name, boolean present, List<String> problems) {
        ResponderDTO r = new ResponderDTO();
        r.name = name;
        r.present = present;
        r.undoable = true;
        r.problems = problems;
        r.armedBy = "";
        responders.put(name, r);
        return r;
    }

    private void receipt(ActionDTO a, String kind, String user) {
        ReceiptDTO r = new ReceiptDTO();
        r.seq = receipts.size() + 1;
        r.actionId = a == null ? null : a.id;
        r.atMs = 1_764_151_200_000L + r.seq;
        r.kind = kind;
        r.body = "{\"kind\":\"" + kind + "\"" + (user == null ? "" : ",\"user\":\"" + user + "\"") + "}";
        r.previousHash = receipts.isEmpty() ? "0".repeat(64) : receipts.get(receipts.size() - 1).hash;
        r.hash = String.format("%064x", r.seq);
        r.signature = "sig" + r.seq;
        r.keyId = "k-test";
        receipts.add(r);
    }

    @Override
    public List<ActionDTO> actions(List<ActionState> states, int limit) {
        return actions.values().stream().filter(a -> states.isEmpty() || states.contains(a.state))
                .sorted(Comparator.comparingLong((ActionDTO a) -> a.createdMs).reversed()).limit(limit).toList();
    }

    @Override
    public Optional<ActionDTO> action(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("name an action by its id or the first characters of it");
        }
        List<ActionDTO> found = actions.values().stream().filter(a -> a.id.startsWith(id)).limit(2).toList();
        if (found.size() > 1) {
            throw new IllegalArgumentException("more than one action starts with " + id + ": give more of its id");
        }
        return found.stream().findFirst();
    }

    @Override
    public List<ReceiptDTO> receipts(String actionId) {
        return receipts.stream().filter(r -> actionId.equals(r.actionId)).toList();
    }

    @Override
    public List<ResponderDTO> responders() {
        return List.copyOf(responders.values());
    }

    @Override
    public ResponderDTO arm(String name, String user) {
        ResponderDTO r = responders.get(name);
        if (r == null || !r.present) {
            throw new IllegalArgumentException("no action responder named " + name + " is installed");
        }
        if (!r.problems.isEmpty()) {
            throw new IllegalArgumentException("responder " + name + " cannot be armed: " + String.join("; ", r.problems));
        }
        return arming(r, true, user);
    }

    @Override
    public ResponderDTO disarm(String name, String user) {
        ResponderDTO r = Optional.ofNullable(responders.get(name))
                .orElseThrow(() -> new IllegalArgumentException("no responder named " + name + " (amoskys:actions responders)"));
        return arming(r, false, user);
    }

    private ResponderDTO arming(ResponderDTO r, boolean armed, String user) {
        r.armed = armed;
        r.armedBy = user;
        r.armedChangedMs = System.currentTimeMillis();
        receipt(null, armed ? "armed" : "disarmed", user);
        return r;
    }

    @Override
    public ActionDTO approve(String id, String user) {
        return decide(id, user, ActionState.AWAITING_APPROVAL, ActionState.QUEUED, "approved");
    }

    @Override
    public ActionDTO reject(String id, String user) {
        return decide(id, user, ActionState.AWAITING_APPROVAL, ActionState.REJECTED, "rejected");
    }

    @Override
    public ActionDTO undo(String id, String user) {
        return decide(id, user, ActionState.ACTIVE, ActionState.UNDO_QUEUED, "undo-requested");
    }

    private ActionDTO decide(String id, String user, ActionState from, ActionState to, String kind) {
        ActionDTO a = action(id).orElseThrow(() -> new NoSuchElementException("no action " + id));
        if (a.state != from) {
            throw new IllegalStateException("action " + a.id + " is " + a.state.label() + ", not " + from.label());
        }
        a.state = to;
        a.decidedBy = user;
        a.output = kind + " by " + user;
        receipt(a, kind, user);
        return a;
    }

    @Override
    public boolean resetBreaker(String user) {
        boolean was = !breaker.isEmpty();
        breaker = "";
        return was;
    }

    @Override
    public String breaker() {
        return breaker;
    }

    @Override
    public Verification verify() {
        Verification v = new Verification();
        v.receipts = receipts.size();
        v.intact = intact;
        v.keyId = "k-test";
        if (intact) {
            v.lastHash = receipts.isEmpty() ? "" : receipts.get(receipts.size() - 1).hash;
        } else {
            v.firstBrokenSeq = 2;
            v.problem = "receipt 2's hash does not match its content";
        }
        return v;
    }
}
