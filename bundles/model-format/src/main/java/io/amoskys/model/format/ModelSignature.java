package io.amoskys.model.format;

import io.amoskys.schema.Ed25519Keys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The signature of a model descriptor ({@code models/NAME.json.sig}): Ed25519 over the bytes
 * {@code AMOSKYS-MODEL-V1\n} followed by the descriptor file exactly as stored. The descriptor
 * carries the ONNX file's SHA-256, so the signature covers the model too.
 *
 * <pre>
 * keyId=0123456789abcdef
 * signature=BASE64
 * </pre>
 */
public final class ModelSignature {
    /** Keeps a model signature from ever passing for a signature of anything else. */
    public static final String DOMAIN = "AMOSKYS-MODEL-V1\n";
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{16}");
    private static final int SIGNATURE_BYTES = 64;

    private ModelSignature() {}

    /** @return the text of the {@code .sig} file */
    public static String sign(byte[] descriptorBytes, PrivateKey key, String keyId) {
        if (!KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("a key id is 16 lowercase hex digits, not '" + keyId + "'");
        }
        try {
            Signature signature = Signature.getInstance(Ed25519Keys.ALGORITHM);
            signature.initSign(key);
            signature.update(DOMAIN.getBytes(StandardCharsets.US_ASCII));
            signature.update(descriptorBytes);
            return "keyId=" + keyId + "\nsignature=" + Base64.getEncoder().encodeToString(signature.sign()) + "\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with this key: " + e.getMessage(), e);
        }
    }

    /**
     * @param sigText the {@code .sig} file's text, or {@code null} when there is none
     * @param trust the trusted public key of a key id, or {@code null} when that key is not trusted
     */
    public static SignatureVerdict verify(byte[] descriptorBytes, String sigText, Function<String, PublicKey> trust) {
        if (sigText == null || sigText.isBlank()) {
            return SignatureVerdict.refuse(RefusalReason.UNSIGNED, null, "the descriptor has no signature file");
        }
        Map<String, String> fields = fields(sigText);
        String keyId = fields.get("keyId");
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            return SignatureVerdict.refuse(RefusalReason.BAD_SIGNATURE, null,
                    "the signature file names no key id (a line keyId=<16 hex digits>)");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(fields.getOrDefault("signature", ""));
        } catch (IllegalArgumentException e) {
            return SignatureVerdict.refuse(RefusalReason.BAD_SIGNATURE, keyId, "the signature is not base64");
        }
        if (signature.length != SIGNATURE_BYTES) {
            return SignatureVerdict.refuse(RefusalReason.BAD_SIGNATURE, keyId,
                    "the signature has " + signature.length + " bytes, not " + SIGNATURE_BYTES);
        }
        PublicKey key = trust.apply(keyId);
        if (key == null || !keyId.equals(Ed25519Keys.keyId(key))) {
            return SignatureVerdict.refuse(RefusalReason.UNTRUSTED_KEY, keyId,
                    "key " + keyId + " is not in the model trust store");
        }
        return check(descriptorBytes, signature, key)
                ? SignatureVerdict.accept(keyId)
                : SignatureVerdict.refuse(RefusalReason.BAD_SIGNATURE, keyId,
                        "the signature of key " + keyId + " does not match the descriptor");
    }

    /** A signer for a key pair of one's own (build-time trainers, tests). */
    public static ModelSigner signer(KeyPair pair) {
        String keyId = Ed25519Keys.keyId(pair.getPublic());
        return new ModelSigner() {
            @Override
            public String keyId() {
                return keyId;
            }

            @Override
            public PublicKey publicKey() {
                return pair.getPublic();
            }

            @Override
            public String sign(byte[] descriptorBytes) {
                return ModelSignature.sign(descriptorBytes, pair.getPrivate(), keyId);
            }
        };
    }

    private static boolean check(byte[] descriptorBytes, byte[] signatureBytes, PublicKey key) {
        try {
            Signature signature = Signature.getInstance(Ed25519Keys.ALGORITHM);
            signature.initVerify(key);
            signature.update(DOMAIN.getBytes(StandardCharsets.US_ASCII));
            signature.update(descriptorBytes);
            return signature.verify(signatureBytes);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static Map<String, String> fields(String sigText) {
        Map<String, String> fields = new HashMap<>();
        for (String line : sigText.split("\\R")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.putIfAbsent(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return fields;
    }
}
