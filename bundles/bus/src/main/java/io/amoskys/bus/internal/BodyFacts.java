package io.amoskys.bus.internal;

import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.schema.EventCodec;
import io.amoskys.schema.v1.EnvelopeBody;
import io.amoskys.schema.v1.Event;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What the bus's checks read of an envelope's body ({@link EnvelopeVerifier}): read from the parsed
 * message for an envelope that came in, or from the events an in-container agent's envelope was
 * just written from, which need not be parsed back. The events themselves are gone through only
 * when {@link #events()} is asked, after the cheaper checks have passed.
 */
record BodyFacts(String agentId, long sequence, int schemaVersion, long timestampNanos, int eventCount, Supplier<Events> scan) {
    private static final Pattern KIND = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /**
     * What the events say, up to the first that cannot be stored.
     *
     * @param problem why an event cannot become a {@code TelemetryEvent} ({@code event I ...}), or null
     * @param kinds the events' kinds, sorted and comma-separated
     */
    record Events(String problem, String kinds, long minEventSequence, long maxEventSequence) {}

    static BodyFacts of(EnvelopeBody body) {
        return new BodyFacts(body.getAgentId(), body.getSequence(), body.getSchemaVersion(), body.getTimestampNs(),
                body.getEventsCount(), () -> {
                    Scan scan = new Scan();
                    for (int i = 0; i < body.getEventsCount() && scan.problem == null; i++) {
                        Event e = body.getEvents(i);
                        scan.event(i, e.getEntityId(), e.getKind(), e.getEventSequence());
                    }
                    return scan.events();
                });
    }

    /** The facts of the body {@link EventCodec#bodyBytes} writes for these arguments. */
    static BodyFacts of(String agentId, long sequence, long timestampNanos, List<TelemetryEvent> events) {
        return new BodyFacts(agentId, sequence, EventCodec.SCHEMA_VERSION, timestampNanos, events.size(), () -> {
            Scan scan = new Scan();
            for (int i = 0; i < events.size() && scan.problem == null; i++) {
                TelemetryEvent e = events.get(i);
                scan.event(i, e.entityId(), e.kind(), e.sequence());
            }
            return scan.events();
        });
    }

    /** Goes through the events; run once, by the check that needs them. */
    Events events() {
        return scan.get();
    }

    /** The events one by one, up to the first that cannot be stored. */
    private static final class Scan {
        final TreeSet<String> kinds = new TreeSet<>();
        String lastKind; // checked already: a body's events mostly share a kind
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        String problem;

        void event(int index, String entityId, String kind, long eventSequence) {
            if (entityId.isEmpty()) {
                problem = "event " + index + " has no entity_id";
            } else if (!kind.equals(lastKind) && !KIND.matcher(kind).matches()) {
                problem = "event " + index + " has kind '" + kind + "': 1 to 64 letters, digits, '.', '_' or '-'";
            } else if (eventSequence < 0) {
                problem = "event " + index + " has an event_sequence above 2^63-1";
            } else {
                if (!kind.equals(lastKind)) {
                    kinds.add(kind);
                    lastKind = kind;
                }
                min = Math.min(min, eventSequence);
                max = Math.max(max, eventSequence);
            }
        }

        Events events() {
            return new Events(problem, String.join(",", kinds), min, max);
        }
    }
}
