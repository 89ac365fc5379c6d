package io.amoskys.schema;

import io.amoskys.schema.v1.Envelope;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;

/** Verifies an envelope's Ed25519 signature over the canonical bytes of its signature version. */
public final class SignatureCheck {
    public static final int SIGNATURE_LENGTH = 64;

    private SignatureCheck() {}

    /** Whether this code knows the envelope's {@code signature_version}: 0 or 1 (the body) or 2 (its digest). */
    public static boolean knowsVersion(Envelope envelope) {
        int version = envelope.getSignatureVersion();
        return version == 0 || version == CanonicalBytes.V1 || version == CanonicalBytes.V2;
    }

    /** True when {@code envelope} was signed by the private half of {@code key}, under a known signature version. */
    public static boolean verify(Envelope envelope, PublicKey key) {
        if (envelope.getSignature().size() != SIGNATURE_LENGTH || !knowsVersion(envelope)) {
            return false;
        }
        byte[] canonical = envelope.getSignatureVersion() == CanonicalBytes.V2
                ? CanonicalBytes.ofDigest(envelope.getKeyId(), envelope.getBody())
                : CanonicalBytes.of(envelope.getKeyId(), envelope.getBody().toByteArray());
        try {
            Signature signature = Signature.getInstance(Ed25519Keys.ALGORITHM);
            signature.initVerify(key);
            signature.update(canonical);
            return signature.verify(envelope.getSignature().toByteArray());
        } catch (GeneralSecurityException e) {
            return false; // a malformed signature is a failed one
        }
    }
}
