package io.amoskys.bus.internal;

import java.security.PublicKey;
import java.time.Instant;

/**
 * An enrolled agent key. Active until revoked; after a rotation the old key stays valid until
 * {@code expires} so envelopes already signed and buffered by the agent still arrive.
 */
public record TrustedKey(String keyId, String agentId, PublicKey publicKey, String publicKeyText,
                         Instant enrolled, Instant expires, Instant revoked) {

    public boolean validAt(Instant now) {
        return revoked == null && (expires == null || now.isBefore(expires));
    }

    public String state(Instant now) {
        if (revoked != null) {
            return "revoked";
        }
        if (expires != null) {
            return now.isBefore(expires) ? "retiring" : "expired";
        }
        return "active";
    }
}
