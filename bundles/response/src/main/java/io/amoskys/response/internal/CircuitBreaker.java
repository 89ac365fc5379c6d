package io.amoskys.response.internal;

/**
 * Stops every responder at once when acting has gone wrong: too many failures in a row, or more
 * actions per minute than the platform should ever take (a storm of alerts, a rule gone wild).
 * It closes after its cool-down or when an operator resets it. {@link Breakers} keeps its open
 * state in the store.
 */
final class CircuitBreaker {
    private final int failuresToOpen;
    private final long cooldownMs;
    private int failuresInARow;
    private long openUntilMs;
    private String reason = "";
    private long opened;

    CircuitBreaker(int failuresToOpen, long cooldownMs) {
        this.failuresToOpen = Math.max(1, failuresToOpen);
        this.cooldownMs = cooldownMs;
    }

    /** Why it is open at {@code nowMs}, or empty when it is closed. */
    synchronized String openReason(long nowMs) {
        return nowMs < openUntilMs ? reason : "";
    }

    synchronized long openUntil() {
        return openUntilMs;
    }

    /** @return the open state to keep */
    synchronized ActionStore.OpenBreaker open(String why, long nowMs) {
        if (nowMs >= openUntilMs) {
            opened++;
        }
        reason = why + " (closes " + (cooldownMs / 1000) + " s after opening, or on amoskys:actions breaker reset)";
        openUntilMs = nowMs + cooldownMs;
        return new ActionStore.OpenBreaker(openUntilMs, reason);
    }

    /** Open again as it was kept before a restart. */
    synchronized void restore(ActionStore.OpenBreaker kept) {
        openUntilMs = kept.untilMs();
        reason = kept.reason();
    }

    synchronized void succeeded() {
        failuresInARow = 0;
    }

    /** @return the open state to keep when this failure opened it, or null */
    synchronized ActionStore.OpenBreaker failed(long nowMs) {
        if (++failuresInARow >= failuresToOpen) {
            return open(failuresInARow + " failed attempts in a row", nowMs);
        }
        return null;
    }

    /** @return whether it was open */
    synchronized boolean reset(long nowMs) {
        boolean wasOpen = nowMs < openUntilMs;
        openUntilMs = 0;
        failuresInARow = 0;
        reason = "";
        return wasOpen;
    }

    synchronized long timesOpened() {
        return opened;
    }
}
