package io.amoskys.responder.email;

import io.amoskys.api.response.ActionOutcome;

/** Ends a conversation early, saying whether trying again may help. */
final class SmtpStop extends Exception {
    private static final long serialVersionUID = 1L;
    final boolean retry;

    private SmtpStop(String message, boolean retry) {
        super(message, null, false, false);
        this.retry = retry;
    }

    static SmtpStop retry(String message) {
        return new SmtpStop(message, true);
    }

    static SmtpStop fail(String message) {
        return new SmtpStop(message, false);
    }

    /** A reply other than the expected one: 4xx is worth another try later, the rest is not. */
    static SmtpStop unexpected(String step, SmtpReply reply) {
        return new SmtpStop(step + " refused: " + reply, reply.transientFailure());
    }

    ActionOutcome outcome(String prefix, String suffix) {
        String text = prefix + getMessage() + suffix;
        return retry ? ActionOutcome.retry(text) : ActionOutcome.failed(text);
    }
}
