package io.amoskys.agent.mqtt;

import org.slf4j.Logger;

/**
 * Warnings about bad input, at most one per interval: a device that sends garbage ten times a
 * second must not flood the log. The counters and health keep every error; the log shows a
 * sample and how many were left out. Thread-safe.
 */
final class ThrottledLog {
    private final Logger log;
    private final long intervalNanos;
    private long lastNanos;
    private boolean logged;
    private long suppressed;

    ThrottledLog(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    synchronized void warn(String message) {
        long now = System.nanoTime();
        if (logged && now - lastNanos < intervalNanos) {
            suppressed++;
            return;
        }
        if (suppressed > 0) {
            log.warn("{} ({} similar warnings left out since the last one)", message, suppressed);
        } else {
            log.warn(message);
        }
        logged = true;
        lastNanos = now;
        suppressed = 0;
    }
}
