package io.amoskys.api.response;

import java.util.Objects;

/** How one execution or undo of an action ended, with its output for the receipt. */
public final class ActionOutcome {
    /** Whether it worked, and whether trying again may help. */
    public enum Status {
        SUCCEEDED,
        /** Failed for now (a receiver down, a timeout): the platform retries with backoff. */
        RETRY,
        /** Failed for good (refused by the receiver, impossible): no retry. */
        FAILED
    }

    private final Status status;
    private final String output;

    private ActionOutcome(Status status, String output) {
        this.status = Objects.requireNonNull(status, "status");
        this.output = output == null ? "" : output;
    }

    public static ActionOutcome succeeded(String output) {
        return new ActionOutcome(Status.SUCCEEDED, output);
    }

    public static ActionOutcome retry(String reason) {
        return new ActionOutcome(Status.RETRY, reason);
    }

    public static ActionOutcome failed(String reason) {
        return new ActionOutcome(Status.FAILED, reason);
    }

    public Status status() {
        return status;
    }

    /** What ran and what it printed or answered, kept in the receipt (the platform caps its length). */
    public String output() {
        return output;
    }

    @Override
    public String toString() {
        return status + ": " + output;
    }
}
