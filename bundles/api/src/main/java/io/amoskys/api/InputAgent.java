package io.amoskys.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An agent that routes feed: its raw input arrives as messages sent to {@code amoskys:agent/NAME}
 * (a packet-capture route feeds the flow agent), and what it makes of them goes to the routes that
 * read from it, like any agent's events.
 *
 * @param <T> the type of message it takes
 * @since 1.1
 */
@ConsumerType
public interface InputAgent<T> extends Agent {
    /** The messages it takes; a route that sends anything else gets an error naming both types. */
    Class<T> inputType();

    /**
     * Takes one message; called from route threads, possibly concurrently for different inputs.
     * Returns once the message is taken; may block while the agent applies back-pressure.
     */
    void input(T message);
}
