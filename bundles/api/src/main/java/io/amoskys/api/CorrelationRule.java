package io.amoskys.api;

import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Score;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Turns scores into alerts: thresholds, multi-step and multi-device patterns over windows.
 * Rules keep bounded state and may be called concurrently.
 */
@ConsumerType
public interface CorrelationRule {
    /** @return the alerts this score completes; empty when none (never {@code null}) */
    List<Alert> evaluate(Score score);
}
