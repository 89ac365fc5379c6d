package io.amoskys.agent.mqtt.payload;

/** Why a message, a reading or a connection failed; the {@code reason} label of the error metric. */
public enum ErrorReason {
    /** Larger than the subscription's maxPayloadBytes; not even looked at. */
    OVERSIZED("oversized"),
    /** Not UTF-8 text or not JSON. */
    MALFORMED("malformed"),
    /** JSON, but a field holds the wrong type (a string where a number belongs, ...). */
    WRONG_TYPE("wrong-type"),
    /** JSON of the right shape that holds no reading. */
    NO_READINGS("no-readings"),
    /** A SenML record RFC 8428 says to reject (no name, a must-understand field, ...). */
    INVALID_SENML("invalid-senml"),
    /** A reading with a unit we cannot normalise: delivered with the unit as given, and counted. */
    UNKNOWN_UNIT("unknown-unit"),
    /** More sensors than maxSensors: readings still flow, but the sensor's health is not kept. */
    SENSOR_LIMIT("sensor-limit"),
    /** No subscriber took a reading (the last one left meanwhile), or one failed on it. */
    UNDELIVERED("undelivered"),
    /** The broker could not be reached, refused the credentials or the TLS handshake failed. */
    CONNECT_FAILED("connect-failed"),
    /** The broker refused a topic filter (bad filter, or not allowed by its ACL). */
    SUBSCRIBE_REFUSED("subscribe-refused"),
    /** The agent failed on a message (a defect: logged with its stack); acknowledged, so not sent again. */
    FAILED("failed"),
    /**
     * A message on a topic none of the subscription's filters matches: the broker kept a filter of
     * an earlier configuration in its persistent session (MQTT 3 cannot list them). Acknowledged and dropped.
     */
    UNSUBSCRIBED("unsubscribed");

    private final String label;

    ErrorReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
