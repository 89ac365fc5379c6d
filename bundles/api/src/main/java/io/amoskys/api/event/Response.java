package io.amoskys.api.event;

import java.util.Objects;

/** What a responder did about an alert, or in dry-run what it would have done. */
public final class Response {
    /** How the response ended. */
    public enum Outcome {
        /** The action was carried out. */
        DONE,
        /** The responder is not armed: the action was only described. */
        DRY_RUN,
        /** The responder chose not to act on this alert. */
        SKIPPED,
        /** The action was tried and failed. */
        FAILED,
        /**
         * The action was accepted and queued: it runs later (after approval, retries or at its
         * turn), and its receipt says how it ended.
         *
         * @since 1.4
         */
        PENDING
    }

    private final String responder;
    private final String alertId;
    private final Outcome outcome;
    private final String action;

    public Response(String responder, String alertId, Outcome outcome, String action) {
        this.responder = Objects.requireNonNull(responder, "responder");
        this.alertId = Objects.requireNonNull(alertId, "alertId");
        this.outcome = Objects.requireNonNull(outcome, "outcome");
        this.action = Objects.requireNonNull(action, "action");
    }

    public String responder() {
        return responder;
    }

    public String alertId() {
        return alertId;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** A sentence saying what was (or would have been) done. */
    public String action() {
        return action;
    }

    @Override
    public String toString() {
        return "Response[" + responder + " " + outcome + " " + alertId + ": " + action + "]";
    }
}
