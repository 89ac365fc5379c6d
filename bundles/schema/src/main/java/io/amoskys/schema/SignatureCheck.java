package io.amoskys.schema;

import io.amoskys.schema.v1.Envelope;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;

/** Verifies an envelope's Ed25519 signature over its canonical bytes. */
public final class SignatureCheck {
    public static final int SIGNATURE_LENGTH = 64;

    private SignatureCheck() {}

    /** True when {@code envelope} was signed by the private half of {@code key}. */
    public static boolean verify(Envelope envelope, PublicKey key) {
        if (envelope.getSignature().size() != SIGNATURE_LENGTH) {
            return false;
        }
        try {
            Signature signature = Signature.getInstance(Ed25519Keys.ALGORITHM);
            signature.initVerify(key);
            signature.update(CanonicalBytes.of(envelope.getKeyId(), envelope.getBody().toByteArray()));
            return signature.verify(envelope.getSignature().toByteArray());
        } catch (GeneralSecurityException e) {
            return false; // a malformed signature is a failed one
        }
    }
}
