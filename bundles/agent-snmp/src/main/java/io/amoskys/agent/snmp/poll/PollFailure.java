package io.amoskys.agent.snmp.poll;

/** A poll that got no usable answer, with the reason in words an operator can act on. */
public final class PollFailure extends RuntimeException {
    private final ErrorReason reason;

    public PollFailure(ErrorReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public ErrorReason reason() {
        return reason;
    }

    /** The failure inside a future's wrapping, or an internal one for anything else. */
    public static PollFailure of(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof java.util.concurrent.CompletionException || cause instanceof java.util.concurrent.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof PollFailure failure) {
            return failure;
        }
        return new PollFailure(ErrorReason.INTERNAL, "internal error: " + cause);
    }
}
