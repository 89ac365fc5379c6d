package io.amoskys.schema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 keys with the JDK's own EdDSA provider: generation, the text forms kept in files, and
 * key ids. A key id is the first 8 bytes of SHA-256 over the raw 32-byte public key, in hex; it is
 * what envelopes name and what operators type.
 */
public final class Ed25519Keys {
    public static final String ALGORITHM = "Ed25519";
    /** The X.509 SubjectPublicKeyInfo prefix of every Ed25519 public key (RFC 8410). */
    private static final int X509_PREFIX_LENGTH = 12;

    private Ed25519Keys() {}

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
    }

    public static String keyId(PublicKey key) {
        byte[] raw = Arrays.copyOfRange(key.getEncoded(), X509_PREFIX_LENGTH, key.getEncoded().length);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Base64 of the X.509 encoding: one line, safe in properties files and REST bodies. */
    public static String encodePublic(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    public static PublicKey decodePublic(String base64) {
        try {
            PublicKey key = KeyFactory.getInstance(ALGORITHM)
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64.strip())));
            if (!ALGORITHM.equals(key.getAlgorithm()) && !"EdDSA".equals(key.getAlgorithm())) {
                throw new IllegalArgumentException("not an Ed25519 public key");
            }
            return key;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a base64 X.509 Ed25519 public key: " + e.getMessage(), e);
        }
    }

    public static String encodePrivate(PrivateKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    public static PrivateKey decodePrivate(String base64) {
        try {
            return KeyFactory.getInstance(ALGORITHM)
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64.strip())));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a base64 PKCS#8 Ed25519 private key: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the key pair kept at {@code file} (private key, newline, public key), or makes one and
     * writes it there readable by the owner only.
     */
    public static KeyPair loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            String[] lines = Files.readString(file).strip().split("\\R");
            if (lines.length != 2) {
                throw new IOException(file + " must hold two lines (private key, public key), found " + lines.length);
            }
            try {
                return new KeyPair(decodePublic(lines[1]), decodePrivate(lines[0]));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
        }
        KeyPair pair = generate();
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, encodePrivate(pair.getPrivate()) + "\n" + encodePublic(pair.getPublic()) + "\n",
                StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return pair;
    }
}
