package io.amoskys.response.admin;

import java.util.Locale;

/** Where an action stands. The last six never change again. */
public enum ActionState {
    /** Waits for an operator's approval until it expires. */
    AWAITING_APPROVAL,
    /** Waits for its turn or its next attempt. */
    QUEUED,
    /** A worker is carrying it out. */
    RUNNING,
    /** Carried out; it is undone at its expiry or on demand. */
    ACTIVE,
    /** Waits for its undo to run (again). */
    UNDO_QUEUED,
    /** Carried out; it lasts, or cannot be undone. */
    DONE,
    UNDONE,
    FAILED,
    /** Not approved in time: never ran. */
    EXPIRED,
    /** An operator rejected it: never ran. */
    REJECTED,
    /** The responder was not armed: only described ("would have"). */
    DRY_RUN,
    /** A guardrail refused it (allowlist, rate limit, circuit breaker, configuration): never ran. */
    REFUSED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ActionState of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    public boolean finished() {
        return ordinal() >= DONE.ordinal();
    }
}
