package io.amoskys.schema;

import com.google.protobuf.ByteString;
import io.amoskys.schema.v1.Envelope;
import io.amoskys.schema.v1.EnvelopeBody;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;

/**
 * Signs envelope bodies with one agent's Ed25519 key, over the canonical bytes of signature
 * version 2 (the body's SHA-256 digest, {@link CanonicalBytes#ofDigest}). Thread-safe.
 */
public final class EnvelopeSigner {
    private final String keyId;
    private final PrivateKey key;

    public EnvelopeSigner(KeyPair pair) {
        this.keyId = Ed25519Keys.keyId(pair.getPublic());
        this.key = pair.getPrivate();
    }

    public String keyId() {
        return keyId;
    }

    public Envelope sign(EnvelopeBody body) {
        return sign(body.toByteString());
    }

    public Envelope sign(ByteString body) {
        return Envelope.newBuilder()
                .setBody(body)
                .setKeyId(keyId)
                .setSignature(ByteString.copyFrom(signature(CanonicalBytes.ofDigest(keyId, body))))
                .setSignatureVersion(CanonicalBytes.V2)
                .build();
    }

    private byte[] signature(byte[] canonical) {
        try {
            Signature signature = Signature.getInstance(Ed25519Keys.ALGORITHM);
            signature.initSign(key);
            signature.update(canonical);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }
}
