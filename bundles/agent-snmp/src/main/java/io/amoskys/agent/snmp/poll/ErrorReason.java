package io.amoskys.agent.snmp.poll;

/** Why a poll, or part of one, failed: the {@code reason} label of {@code amoskys_snmp_errors_total}. */
public enum ErrorReason {
    /** No answer within the timeout and retries. */
    TIMEOUT("timeout"),
    /** The device rejected our v3 digest: wrong user, password or authentication protocol. */
    AUTHENTICATION("authentication"),
    /** The device does not know the v3 user. */
    UNKNOWN_USER("unknown-user"),
    /** The device could not decrypt (wrong privacy password or protocol). */
    PRIVACY("privacy"),
    /** The device has the user, but not at the security level asked for. */
    SECURITY_LEVEL("security-level"),
    /** v3 engine discovery or time synchronisation failed. */
    ENGINE("engine"),
    /** The device answered with an SNMP error status (genErr, tooBig, noAccess, ...). */
    ERROR_STATUS("error-status"),
    /** An answer that could not be decoded, or that does not fit the request. */
    MALFORMED("malformed"),
    /** An object of another type than its MIB defines. */
    WRONG_TYPE("wrong-type"),
    /** The request could not be sent, or the host name not resolved. */
    SEND("send"),
    /** The agent had too much to do and dropped work (its bounded queues were full). */
    OVERLOAD("overload"),
    /** A bug of ours; the log has the stack trace. */
    INTERNAL("internal");

    private final String label;

    ErrorReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
