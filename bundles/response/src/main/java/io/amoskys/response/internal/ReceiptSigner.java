package io.amoskys.response.internal;

import io.amoskys.schema.Ed25519Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Hashes and signs receipts. A receipt's hash covers the previous receipt's hash and every
 * stored column of its own, so that changing, removing or reordering any receipt breaks the
 * chain from there on; the Ed25519 signature of the hash shows the platform wrote it.
 */
final class ReceiptSigner {
    static final String GENESIS = "0".repeat(64);

    private final KeyPair key;
    private final String keyId;

    ReceiptSigner(KeyPair key) {
        this.key = key;
        this.keyId = Ed25519Keys.keyId(key.getPublic());
    }

    /**
     * @param receiptsExist whether receipts were written already: then a missing key is an error,
     *     never silently replaced (a new key would make every old receipt unverifiable, or let a
     *     rewritten chain verify)
     */
    static ReceiptSigner loadOrCreate(Path file, boolean receiptsExist) throws IOException {
        if (receiptsExist && !java.nio.file.Files.exists(file)) {
            throw new IllegalStateException("the receipt key " + file + " is missing but receipts signed with it exist: "
                    + "restore it from a backup (a new key cannot verify them)");
        }
        return new ReceiptSigner(Ed25519Keys.loadOrCreate(file));
    }

    String keyId() {
        return keyId;
    }

    static String hash(String previousHash, long seq, String actionId, long atMs, String kind, String body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String covered = previousHash + '\n' + seq + '\n' + (actionId == null ? "" : actionId) + '\n' + atMs + '\n'
                    + kind + '\n' + body;
            return HexFormat.of().formatHex(sha.digest(covered.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    String sign(String hash) {
        try {
            Signature s = Signature.getInstance(Ed25519Keys.ALGORITHM);
            s.initSign(key.getPrivate());
            s.update(hash.getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a receipt with key " + keyId, e);
        }
    }

    boolean verify(String hash, String signature) {
        try {
            Signature s = Signature.getInstance(Ed25519Keys.ALGORITHM);
            s.initVerify(key.getPublic());
            s.update(hash.getBytes(StandardCharsets.US_ASCII));
            return s.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
