package io.amoskys.core.component;

import io.amoskys.api.bus.EventLog;
import java.util.concurrent.TimeUnit;

/**
 * The event log service while the bus bundle provides one. Bus consumers wait here for it to come
 * back when it goes (the bus bundle updated or restarted) instead of failing their routes.
 */
public final class EventLogHolder {
    private EventLog log; // guarded by this

    public synchronized void set(EventLog log) {
        this.log = log;
        notifyAll();
    }

    public synchronized void clear(EventLog gone) {
        if (log == gone) {
            log = null;
            notifyAll();
        }
    }

    public synchronized EventLog current() {
        return log;
    }

    /**
     * After {@code failed} failed: waits up to {@code timeoutMillis} for another log to take its
     * place, which is also the back-off before the same log is tried again.
     */
    synchronized void awaitReplacement(EventLog failed, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (log == failed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** The log, waiting up to {@code timeoutMillis} for one to appear; null if none did. */
    synchronized EventLog await(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (log == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return log;
    }
}
