package io.amoskys.agent.snmp;

import io.amoskys.agent.snmp.poll.ErrorReason;
import java.util.List;

/**
 * The outcome of one poll, as the agent recorded it.
 *
 * @param failure why the device gave no usable answer; null when it answered
 * @param problems what was wrong in the answers (wrong types, a table that timed out)
 */
public record PollReport(String device, int events, List<String> problems, int missingObjects, double latencySeconds,
        ErrorReason failureReason, String failure) {

    public PollReport {
        problems = List.copyOf(problems);
    }

    public boolean answered() {
        return failure == null;
    }

    static PollReport failed(String device, ErrorReason reason, String failure) {
        return new PollReport(device, 0, List.of(), 0, Double.NaN, reason, failure);
    }
}
