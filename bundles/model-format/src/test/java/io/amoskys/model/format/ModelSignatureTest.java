package io.amoskys.model.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.schema.Ed25519Keys;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ModelSignatureTest {
    private final KeyPair trusted = Ed25519Keys.generate();
    private final KeyPair stranger = Ed25519Keys.generate();
    private final Function<String, PublicKey> trust =
            Map.of(Ed25519Keys.keyId(trusted.getPublic()), trusted.getPublic())::get;
    private final byte[] descriptor = Descriptors.valid().build().toJson();

    @Test
    void acceptsASignatureByATrustedKey() {
        String sig = ModelSignature.signer(trusted).sign(descriptor);
        assertTrue(sig.startsWith("keyId=" + Ed25519Keys.keyId(trusted.getPublic()) + "\nsignature="), sig);
        SignatureVerdict verdict = ModelSignature.verify(descriptor, sig, trust);
        assertTrue(verdict.accepted(), verdict.detail());
        assertNull(verdict.reason());
        assertEquals(Ed25519Keys.keyId(trusted.getPublic()), verdict.keyId());
    }

    @Test
    void refusesATamperedDescriptor() {
        String sig = ModelSignature.signer(trusted).sign(descriptor);
        byte[] tampered = Descriptors.valid().threshold(0.99).build().toJson();
        assertRefused(RefusalReason.BAD_SIGNATURE, ModelSignature.verify(tampered, sig, trust));
    }

    @Test
    void refusesAKeyThatIsNotTrusted() {
        String sig = ModelSignature.signer(stranger).sign(descriptor);
        assertRefused(RefusalReason.UNTRUSTED_KEY, ModelSignature.verify(descriptor, sig, trust));
    }

    @Test
    void refusesATrustedKeyIdWithAnotherKeyBehindIt() {
        String id = Ed25519Keys.keyId(trusted.getPublic());
        assertRefused(RefusalReason.UNTRUSTED_KEY, ModelSignature.verify(descriptor,
                ModelSignature.sign(descriptor, stranger.getPrivate(), id), Map.of(id, stranger.getPublic())::get));
    }

    @Test
    void refusesAMissingSignature() {
        assertRefused(RefusalReason.UNSIGNED, ModelSignature.verify(descriptor, null, trust));
        assertRefused(RefusalReason.UNSIGNED, ModelSignature.verify(descriptor, "\n", trust));
    }

    @Test
    void refusesAMalformedSignatureFile() {
        String id = Ed25519Keys.keyId(trusted.getPublic());
        assertRefused(RefusalReason.BAD_SIGNATURE, ModelSignature.verify(descriptor, "signature=AAAA", trust));
        assertRefused(RefusalReason.BAD_SIGNATURE, ModelSignature.verify(descriptor, "keyId=" + id + "\nsignature=!!", trust));
        assertRefused(RefusalReason.BAD_SIGNATURE, ModelSignature.verify(descriptor, "keyId=" + id + "\nsignature=AAAA", trust));
    }

    @Test
    void aModelSignatureIsNotAnEnvelopeSignature() {
        // Signed without the domain prefix: must not verify as a model signature.
        String id = Ed25519Keys.keyId(trusted.getPublic());
        String sig = ModelSignature.sign(descriptor, trusted.getPrivate(), id);
        byte[] prefixed = (ModelSignature.DOMAIN + new String(descriptor, java.nio.charset.StandardCharsets.UTF_8))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertFalse(ModelSignature.verify(prefixed, sig, trust).accepted());
    }

    private static void assertRefused(RefusalReason reason, SignatureVerdict verdict) {
        assertFalse(verdict.accepted());
        assertEquals(reason, verdict.reason(), verdict.detail());
        assertFalse(verdict.detail().isBlank());
    }
}
