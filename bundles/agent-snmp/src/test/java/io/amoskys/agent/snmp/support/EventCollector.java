package io.amoskys.agent.snmp.support;

import io.amoskys.api.EventSink;
import io.amoskys.api.event.TelemetryEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A sink that keeps every event it is given, and lets a test wait for the one it expects. */
public final class EventCollector implements EventSink {
    private final BlockingQueue<TelemetryEvent> arriving = new LinkedBlockingQueue<>();
    private final List<TelemetryEvent> seen = new ArrayList<>();

    @Override
    public void accept(TelemetryEvent event) {
        arriving.add(event);
    }

    /** The first event so far or arriving within {@code timeout} that matches; fails the test otherwise. */
    public synchronized TelemetryEvent await(String what, Predicate<TelemetryEvent> p, Duration timeout) throws InterruptedException {
        for (TelemetryEvent e : seen) {
            if (p.test(e)) {
                return e;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            TelemetryEvent e = left > 0 ? arriving.poll(left, TimeUnit.NANOSECONDS) : null;
            if (e == null) {
                throw new AssertionError("no event " + what + " within " + timeout + "; " + seen.size() + " events seen, the last: "
                        + seen.subList(Math.max(0, seen.size() - 3), seen.size()));
            }
            seen.add(e);
            if (p.test(e)) {
                return e;
            }
        }
    }

    /** Whether a matching event arrives within {@code window} (for checking that something stopped). */
    public synchronized boolean arrives(Predicate<TelemetryEvent> p, Duration window) throws InterruptedException {
        long deadline = System.nanoTime() + window.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            TelemetryEvent e = left > 0 ? arriving.poll(left, TimeUnit.NANOSECONDS) : null;
            if (e == null) {
                return false;
            }
            seen.add(e);
            if (p.test(e)) {
                return true;
            }
        }
    }

    /** Every event so far. */
    public synchronized List<TelemetryEvent> all() {
        arriving.drainTo(seen);
        return List.copyOf(seen);
    }

    /** Forgets the events so far: later waits see only newer ones. */
    public synchronized void clear() {
        arriving.drainTo(seen);
        seen.clear();
    }
}
