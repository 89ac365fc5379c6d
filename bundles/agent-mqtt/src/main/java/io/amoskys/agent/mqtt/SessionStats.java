package io.amoskys.agent.mqtt;

import io.amoskys.agent.mqtt.payload.ErrorReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The counters of one subscription, for /metrics and the tests. Thread-safe. */
final class SessionStats {
    private final LongAdder messages = new LongAdder();
    private final LongAdder readings = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final Map<ErrorReason, LongAdder> errors = new EnumMap<>(ErrorReason.class);

    SessionStats() {
        for (ErrorReason reason : ErrorReason.values()) {
            errors.put(reason, new LongAdder());
        }
    }

    void message() {
        messages.increment();
    }

    void reading() {
        readings.increment();
    }

    void reconnected() {
        reconnects.increment();
    }

    void error(ErrorReason reason) {
        errors.get(reason).increment();
    }

    long messages() {
        return messages.sum();
    }

    long readings() {
        return readings.sum();
    }

    long reconnects() {
        return reconnects.sum();
    }

    long errors(ErrorReason reason) {
        return errors.get(reason).sum();
    }
}
