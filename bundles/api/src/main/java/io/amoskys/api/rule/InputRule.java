package io.amoskys.api.rule;

import io.amoskys.api.CorrelationRule;
import io.amoskys.api.event.Alert;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A correlation rule that looks at whole observations, not only scores: the event's labels and
 * metrics, the features of its vector and the scores of the detectors on it. The platform hands
 * such a rule a {@link RuleInput} wherever it has the event a route's chain started from;
 * {@link #evaluate(io.amoskys.api.event.Score)} remains for routes that give a bare score.
 *
 * <p>Implementations keep bounded state and may be called concurrently.
 */
@ConsumerType
public interface InputRule extends CorrelationRule {
    /** @return the alerts this observation completes; empty when none (never {@code null}) */
    List<Alert> evaluate(RuleInput input);
}
