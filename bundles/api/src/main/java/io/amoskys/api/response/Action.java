package io.amoskys.api.response;

import java.util.Objects;

/**
 * An action the platform has accepted: the request, what asked for it, and its durable id. The
 * id stays the same across retries and restarts; use it as an idempotency key.
 */
public final class Action {
    private final String id;
    private final String responder;
    private final String alertId;
    private final String rule;
    private final String entityId;
    private final ActionRequest request;
    private final int attempt;

    public Action(String id, String responder, String alertId, String rule, String entityId, ActionRequest request, int attempt) {
        this.id = Objects.requireNonNull(id, "id");
        this.responder = Objects.requireNonNull(responder, "responder");
        this.alertId = Objects.requireNonNull(alertId, "alertId");
        this.rule = Objects.requireNonNull(rule, "rule");
        this.entityId = Objects.requireNonNull(entityId, "entityId");
        this.request = Objects.requireNonNull(request, "request");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1, was " + attempt);
        }
        this.attempt = attempt;
    }

    public String id() {
        return id;
    }

    public String responder() {
        return responder;
    }

    public String alertId() {
        return alertId;
    }

    public String rule() {
        return rule;
    }

    public String entityId() {
        return entityId;
    }

    public ActionRequest request() {
        return request;
    }

    /** 1 for the first try; the platform retries a failed execution with backoff. */
    public int attempt() {
        return attempt;
    }

    @Override
    public String toString() {
        return "Action[" + id + " " + responder + " " + request.verb() + " " + request.target() + " attempt " + attempt + "]";
    }
}
