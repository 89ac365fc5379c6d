package io.amoskys.api.alert;

import io.amoskys.api.event.Alert;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The platform's alerts, their evidence, lifecycle and suppressions (one service, registered by
 * the alerts bundle). Every method is thread-safe.
 *
 * <p>Errors: an unknown alert or suppression id is a {@link NoSuchElementException}, a change
 * the lifecycle does not allow an {@link IllegalStateException}, a malformed request an
 * {@link IllegalArgumentException}, and a failure of the store itself an
 * {@link AlertStoreException}.
 */
@ProviderType
public interface AlertStore {
    /**
     * Admits an alert a rule raised; the platform calls it for every alert, before responders.
     * {@link Admission.Outcome#NEW}: stored (durably, before this returns), and goes on to the
     * responders. {@link Admission.Outcome#GROUPED}: the same rule raised an alert on the same
     * entity within the grouping window, so it was counted into that open alert (count, last
     * seen, evidence) and does not go on. {@link Admission.Outcome#SUPPRESSED}: an active
     * suppression matched; counted against it, not stored, does not go on.
     *
     * @throws AlertStoreException when the store could not take it (the caller decides whether
     *     to pass the alert on anyway)
     */
    Admission admit(Alert alert);

    /** The alerts that match, most recently admitted first, without evidence and history. */
    List<AlertDTO> list(AlertQuery query);

    /** How many alerts match ({@link AlertQuery#limit} and {@link AlertQuery#offset} ignored). */
    long count(AlertQuery query);

    /** One alert with its evidence, explanation and history; empty when there is no such alert. */
    Optional<AlertDTO> get(String id);

    /**
     * Moves an alert along its lifecycle and records who did it, when, and why.
     *
     * @return the alert after the change, with its evidence and history
     * @throws NoSuchElementException when there is no such alert
     * @throws IllegalStateException when the lifecycle does not allow the change
     */
    AlertDTO transition(AlertTransition transition);

    /**
     * Adds a suppression: from now on (until it expires or is removed) alerts of its rule on its
     * entity are counted against it instead of being stored. Takes {@code rule}, {@code entity},
     * {@code reason}, {@code createdBy} and {@code expiresMillis} from the argument.
     *
     * @return the suppression as stored, with its id
     * @throws IllegalArgumentException when rule or entity is missing, or too many suppressions are active
     */
    SuppressionDTO suppress(SuppressionDTO suppression);

    /** The active suppressions, or with {@code all} also those expired or removed (newest first). */
    List<SuppressionDTO> suppressions(boolean all);

    /**
     * One suppression by its id, whatever its state (active, expired or removed), however many
     * there are: {@link #suppressions} lists only the newest.
     *
     * @since 1.1
     */
    Optional<SuppressionDTO> suppression(String id);

    /**
     * Removes a suppression (it is kept, marked removed, for the record).
     *
     * @throws NoSuchElementException when there is no such suppression
     * @throws IllegalStateException when it was removed already
     */
    SuppressionDTO unsuppress(String id, String user);
}
