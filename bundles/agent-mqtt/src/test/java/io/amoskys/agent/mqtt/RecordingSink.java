package io.amoskys.agent.mqtt;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.amoskys.api.EventSink;
import io.amoskys.api.event.TelemetryEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Collects the agent's events; tests wait on it for what they expect instead of sleeping. */
final class RecordingSink implements EventSink {
    private final LinkedBlockingQueue<TelemetryEvent> events = new LinkedBlockingQueue<>();

    @Override
    public void accept(TelemetryEvent event) {
        events.add(event);
    }

    /** The next event, or null when none comes within {@code timeout}. */
    TelemetryEvent poll(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next event; fails the test when none comes within {@code timeout}. */
    TelemetryEvent next(Duration timeout) throws InterruptedException {
        TelemetryEvent event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(event, "no event within " + timeout);
        return event;
    }

    /** The next {@code count} events, each waited for at most {@code timeout}. */
    List<TelemetryEvent> next(int count, Duration timeout) throws InterruptedException {
        List<TelemetryEvent> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(next(timeout));
        }
        return out;
    }

    /** Events already here, without waiting. */
    List<TelemetryEvent> drain() {
        List<TelemetryEvent> out = new ArrayList<>();
        events.drainTo(out);
        return out;
    }
}
