package io.amoskys.schema;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The bytes an envelope's signature covers (docs/PROTOCOL.md), by signature version:
 * <pre>
 *   version 1 (or 0, unset)              version 2
 *   "AMOSKYS-ENVELOPE-V1" 0x00            "AMOSKYS-ENVELOPE-V2" 0x00
 *   uint16 length of key_id, key_id       uint16 length of key_id, key_id
 *   uint32 length of body, body           uint32 length of body, SHA-256 of body (32 bytes)
 * </pre>
 * Lengths are big-endian, key_id UTF-8, body the serialized EnvelopeBody exactly as sent. The
 * prefix keeps an AMOSKYS signature from being valid for anything else, or under the other
 * version; the key id is bound so a signature cannot be presented under another enrolled key's
 * name. Version 2 exists for cost: Ed25519 hashes its message twice with SHA-512 to sign (once to
 * verify), so over a whole body of a few hundred kilobytes the hashing outweighs the curve; one
 * SHA-256 pass (in hardware on current x86 and ARM cores) and a signature over 90 bytes cost a
 * fraction of that.
 */
public final class CanonicalBytes {
    /** What {@code signature_version} names: the whole body signed. 0 (unset) means the same. */
    public static final int V1 = 1;
    /** What {@code signature_version} names: the body's SHA-256 digest signed. */
    public static final int V2 = 2;
    static final byte[] DOMAIN = "AMOSKYS-ENVELOPE-V1\0".getBytes(StandardCharsets.US_ASCII);
    static final byte[] DOMAIN_V2 = "AMOSKYS-ENVELOPE-V2\0".getBytes(StandardCharsets.US_ASCII);
    private static final int DIGEST_LENGTH = 32;

    private CanonicalBytes() {}

    /** Version 1: the key id and the whole body. */
    public static byte[] of(String keyId, byte[] body) {
        byte[] id = keyId(keyId);
        return ByteBuffer.allocate(DOMAIN.length + 2 + id.length + 4 + body.length)
                .put(DOMAIN)
                .putShort((short) id.length).put(id)
                .putInt(body.length).put(body)
                .array();
    }

    /** Version 2: the key id, the body's length and its SHA-256 digest; the body is read in place, not copied. */
    public static byte[] ofDigest(String keyId, ByteString body) {
        byte[] id = keyId(keyId);
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        for (ByteBuffer part : body.asReadOnlyByteBufferList()) {
            sha256.update(part);
        }
        return ByteBuffer.allocate(DOMAIN_V2.length + 2 + id.length + 4 + DIGEST_LENGTH)
                .put(DOMAIN_V2)
                .putShort((short) id.length).put(id)
                .putInt(body.size()).put(sha256.digest())
                .array();
    }

    private static byte[] keyId(String keyId) {
        byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
        if (id.length > 0xffff) {
            throw new IllegalArgumentException("key id longer than 65535 bytes");
        }
        return id;
    }
}
