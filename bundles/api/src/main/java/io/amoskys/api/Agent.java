package io.amoskys.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A source of telemetry: SNMP devices, host processes, packet flows, IoT sensors.
 *
 * <p>Agents fed by routes (packets to flows) implement {@link InputAgent} as well.
 *
 * <p>The platform subscribes when a route reads from {@code amoskys:agent/NAME} and closes the
 * subscription when the route stops or the agent goes away. An agent may serve several
 * subscriptions at once and must not block its collection on a slow sink for longer than its own
 * bounded buffer allows.
 */
@ConsumerType
public interface Agent {
    /** Starts delivering events to {@code sink} until the returned handle is closed. */
    Subscription subscribe(EventSink sink);

    /** A live subscription. Closing it twice is harmless. */
    @FunctionalInterface
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
