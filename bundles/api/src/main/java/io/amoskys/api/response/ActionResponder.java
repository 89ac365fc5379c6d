package io.amoskys.api.response;

import io.amoskys.api.event.Alert;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A responder whose actions the platform guards. Register it as an OSGi service with
 * {@code @PluginName("NAME")}; routes then reach it as {@code amoskys:responder/NAME}.
 *
 * <p>{@link #plan} only describes; {@link #execute} and {@link #undo} act, and the platform calls
 * them from its own worker thread, never from a route, only once the responder is armed, the
 * target is not allowlisted, the rate limits and circuit breaker allow it, and (when required) an
 * operator approved. After a crash the platform may run an action again under the same
 * {@link Action#id()}: execute and undo must be idempotent for one id.
 */
@ConsumerType
public interface ActionResponder {
    /**
     * What this responder would do about the alert. Must not act and should be quick.
     *
     * @return nothing when the alert needs nothing from this responder
     * @throws IllegalArgumentException when the alert lacks what the responder needs (for example
     *     an entity that is no address); the platform records a refused receipt naming the reason
     */
    List<ActionRequest> plan(Alert alert);

    /** Carries the action out. A thrown exception counts as a failure that may be retried. */
    ActionOutcome execute(Action action) throws Exception;

    /**
     * Reverses a carried-out action (unblock, resume): at its expiry, or when an operator asks.
     * Responders that cannot undo (a sent notification) keep this default.
     */
    default ActionOutcome undo(Action action) throws Exception {
        return ActionOutcome.failed("this responder's actions cannot be undone");
    }

    /** Whether {@link #undo} does anything: the platform offers undo only when it does. */
    default boolean undoable() {
        return false;
    }

    /**
     * What is wrong with this responder's configuration (an invalid address, an unknown interface,
     * a malformed URL or template), one reason per entry. While it is not empty the platform
     * refuses to arm the responder and runs none of its actions.
     */
    default List<String> configurationProblems() {
        return List.of();
    }
}
