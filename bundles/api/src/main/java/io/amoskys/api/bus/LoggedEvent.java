package io.amoskys.api.bus;

import io.amoskys.api.event.TelemetryEvent;
import java.util.Objects;

/**
 * One event as stored: the envelope's offset in the log, its position in that envelope, and the
 * event. {@code offset/index} names it in evidence for as long as the log keeps it.
 */
public final class LoggedEvent {
    private final long offset;
    private final int index;
    private final TelemetryEvent event;

    public LoggedEvent(long offset, int index, TelemetryEvent event) {
        this.offset = offset;
        this.index = index;
        this.event = Objects.requireNonNull(event);
    }

    public long offset() {
        return offset;
    }

    public int index() {
        return index;
    }

    public TelemetryEvent event() {
        return event;
    }

    @Override
    public String toString() {
        return offset + "/" + index + " " + event;
    }
}
