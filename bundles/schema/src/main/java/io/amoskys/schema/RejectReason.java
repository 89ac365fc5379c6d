package io.amoskys.schema;

/**
 * Why the bus refused an envelope: the code travels in {@code Ack.reason}, names the metric
 * label and the quarantine row. None of these envelopes will ever be accepted as they are.
 */
public enum RejectReason {
    MALFORMED("malformed", "not a parseable envelope or body"),
    OVERSIZED("oversized", "larger than the bus accepts"),
    UNSIGNED("unsigned", "no key id or no signature"),
    UNKNOWN_KEY("unknown-key", "signed with a key that is not enrolled"),
    REVOKED_KEY("revoked-key", "signed with a revoked or expired key"),
    FORGED_SIGNATURE("forged-signature", "the signature does not match the body and key"),
    AGENT_MISMATCH("agent-mismatch", "the agent id differs from the key's or the certificate's agent"),
    REPLAYED("replayed-outside-window", "timestamp outside the accepted window"),
    UNSUPPORTED_SCHEMA("unsupported-schema", "schema or signature version this bus does not read"),
    EMPTY("empty", "no events"),
    /** @since 1.2 */
    SEQUENCE_REUSED("sequence-reused", "a sequence the agent already used for an envelope with other content");

    private final String code;
    private final String meaning;

    RejectReason(String code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public String code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }
}
