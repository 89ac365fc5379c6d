package io.amoskys.response.admin;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Sees and steers responses. Every change is receipted with the user who made it; the caller
 * checks that user's role first.
 */
@ProviderType
public interface ResponseAdmin {
    /** Newest first; {@code states} empty for all. */
    List<ActionDTO> actions(List<ActionState> states, int limit);

    /** @param id the full id or a unique prefix of it */
    Optional<ActionDTO> action(String id);

    List<ReceiptDTO> receipts(String actionId);

    List<ResponderDTO> responders();

    /** @throws IllegalArgumentException unknown responder, or one with configuration problems (named) */
    ResponderDTO arm(String responder, String user);

    ResponderDTO disarm(String responder, String user);

    /** @throws IllegalStateException unless the action awaits approval */
    ActionDTO approve(String actionId, String user);

    ActionDTO reject(String actionId, String user);

    /** Undoes an active (or done, undoable) action now. */
    ActionDTO undo(String actionId, String user);

    /** Closes an open circuit breaker. @return whether it was open */
    boolean resetBreaker(String user);

    /** Why the breaker is open, or empty when it is closed. */
    String breaker();

    Verification verify();
}
