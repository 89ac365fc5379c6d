package io.amoskys.model.format;

/**
 * The outcome of checking a model's signature.
 *
 * @param reason {@code null} when accepted
 * @param keyId the signer's key id as the {@code .sig} names it, or {@code null} if it names none
 * @param detail what went wrong, for the log and the shell; empty when accepted
 */
public record SignatureVerdict(boolean accepted, RefusalReason reason, String keyId, String detail) {

    static SignatureVerdict accept(String keyId) {
        return new SignatureVerdict(true, null, keyId, "");
    }

    static SignatureVerdict refuse(RefusalReason reason, String keyId, String detail) {
        return new SignatureVerdict(false, reason, keyId, detail);
    }
}
