package io.amoskys.agent.snmp.event;

import io.amoskys.api.event.EventKinds;
import io.amoskys.api.event.TelemetryEvent;
import java.util.concurrent.atomic.AtomicLong;

/** Starts the agent's events: its id, rising sequence numbers, kind {@code snmp}. Thread-safe. */
public final class EventFactory {
    private final String agentId;
    /** Sequence numbers start from the clock so that they keep rising across restarts. */
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() * 1000);

    public EventFactory(String agentId) {
        this.agentId = agentId;
    }

    public String agentId() {
        return agentId;
    }

    public TelemetryEvent.Builder start(String entity, long wallNanos) {
        return TelemetryEvent.builder()
                .agentId(agentId)
                .sequence(sequence.getAndIncrement())
                .entityId(entity)
                .kind(EventKinds.SNMP)
                .timestampNanos(wallNanos);
    }

    public static long nowNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
