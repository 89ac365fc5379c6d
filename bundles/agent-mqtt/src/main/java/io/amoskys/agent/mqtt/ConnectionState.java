package io.amoskys.agent.mqtt;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Where one broker connection stands, readable from any thread, and awaitable: tests and
 * shutdown wait for a phase instead of sleeping. Only the session's control thread changes it.
 */
final class ConnectionState {
    enum Phase {
        /** Not connected because nobody subscribes to the agent: the broker keeps the messages. */
        IDLE,
        CONNECTING,
        /** Connected; the topic filters are being subscribed. */
        SUBSCRIBING,
        /** Connected and subscribed: messages flow. */
        RECEIVING,
        /** The connection failed or was lost; the next attempt is scheduled. */
        WAITING_RETRY,
        CLOSED
    }

    /** One consistent look at the state. {@code refused}: the broker answered, and said no. */
    record Snapshot(Phase phase, long connects, String lastError, boolean refused) {
        boolean connected() {
            return phase == Phase.SUBSCRIBING || phase == Phase.RECEIVING;
        }
    }

    private Snapshot current = new Snapshot(Phase.IDLE, 0, null, false);

    synchronized Snapshot snapshot() {
        return current;
    }

    synchronized void phase(Phase phase) {
        current = new Snapshot(phase, current.connects, current.lastError, current.refused);
        notifyAll();
    }

    /** A new connection: SUBSCRIBING, or RECEIVING at once when the broker kept the subscriptions. */
    synchronized void connected(Phase phase) {
        current = new Snapshot(phase, current.connects + 1, current.lastError, false);
        notifyAll();
    }

    synchronized void failed(Phase phase, String error, boolean refused) {
        current = new Snapshot(phase, current.connects, error, refused);
        notifyAll();
    }

    /** Waits until the state satisfies {@code condition}; false if it did not within {@code timeout}. */
    synchronized boolean await(Predicate<Snapshot> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(current)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
