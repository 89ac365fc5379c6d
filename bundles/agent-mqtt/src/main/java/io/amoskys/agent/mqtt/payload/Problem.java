package io.amoskys.agent.mqtt.payload;

/**
 * One thing wrong with a message: why, which sensor it concerns (the topic when the payload
 * names none) and what exactly, in words an operator can act on.
 */
public record Problem(ErrorReason reason, String sensor, String topic, String detail) {
    /** For logs and health: {@code topic T: detail}. */
    public String message() {
        return "topic " + topic + ": " + detail;
    }
}
