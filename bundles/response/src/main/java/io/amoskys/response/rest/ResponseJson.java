package io.amoskys.response.rest;

import io.amoskys.response.admin.ActionDTO;
import io.amoskys.response.admin.ReceiptDTO;
import io.amoskys.response.admin.ResponderDTO;
import io.amoskys.response.admin.Verification;
import java.util.List;
import java.util.TreeMap;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;

/** The responses' objects as the REST API answers them (times in epoch milliseconds, states as their labels). */
final class ResponseJson {
    private ResponseJson() {}

    static JsonObject action(ActionDTO a) {
        JsonObject o = new JsonObject();
        o.put("id", a.id);
        o.put("responder", a.responder);
        o.put("state", a.state == null ? null : a.state.label());
        o.put("phase", a.phase);
        o.put("verb", a.verb);
        o.put("target", a.target);
        o.put("description", a.description);
        if (a.parameters != null) { // lists leave them out
            o.put("parameters", new JsonObject(new TreeMap<>(a.parameters)));
        }
        o.put("lastsMillis", a.lastsMs);
        o.put("alertId", a.alertId);
        o.put("rule", a.rule);
        o.put("entity", a.entity);
        o.put("attempts", a.attempts);
        o.put("createdMillis", a.createdMs);
        o.put("dueMillis", a.dueMs);
        o.put("changedMillis", a.changedMs);
        o.put("output", a.output);
        o.put("decidedBy", a.decidedBy);
        return o;
    }

    static JsonArray actions(List<ActionDTO> actions) {
        return new JsonArray(actions.stream().map(ResponseJson::action).toList());
    }

    /** The action with its receipts, oldest first. */
    static JsonObject action(ActionDTO a, List<ReceiptDTO> receipts) {
        JsonObject o = action(a);
        o.put("receipts", new JsonArray(receipts.stream().map(ResponseJson::receipt).toList()));
        return o;
    }

    static JsonObject receipt(ReceiptDTO r) {
        JsonObject o = new JsonObject();
        o.put("seq", r.seq);
        o.put("actionId", r.actionId);
        o.put("atMillis", r.atMs);
        o.put("kind", r.kind);
        o.put("body", r.body);
        o.put("previousHash", r.previousHash);
        o.put("hash", r.hash);
        o.put("signature", r.signature);
        o.put("keyId", r.keyId);
        return o;
    }

    static JsonObject responder(ResponderDTO r) {
        JsonObject o = new JsonObject();
        o.put("name", r.name);
        o.put("present", r.present);
        o.put("armed", r.armed);
        o.put("armedBy", r.armedBy == null || r.armedBy.isEmpty() ? null : r.armedBy);
        o.put("armedChangedMillis", r.armedChangedMs);
        o.put("approvalRequired", r.approvalRequired);
        o.put("undoable", r.undoable);
        o.put("problems", new JsonArray(r.problems == null ? List.of() : r.problems));
        return o;
    }

    static JsonObject verification(Verification v) {
        JsonObject o = new JsonObject();
        o.put("receipts", v.receipts);
        o.put("intact", v.intact);
        o.put("firstBrokenSeq", v.firstBrokenSeq);
        o.put("problem", v.problem == null ? "" : v.problem);
        o.put("keyId", v.keyId);
        o.put("lastHash", v.lastHash);
        o.put("prunedThroughSeq", v.prunedThroughSeq);
        return o;
    }

    /** {@code reason}: why it is open, empty when closed. */
    static JsonObject breaker(String reason) {
        JsonObject o = new JsonObject();
        o.put("open", reason != null && !reason.isEmpty());
        o.put("reason", reason == null ? "" : reason);
        return o;
    }
}
