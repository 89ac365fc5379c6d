package io.amoskys.schema;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The bytes an envelope's signature covers (docs/PROTOCOL.md):
 * <pre>
 *   "AMOSKYS-ENVELOPE-V1" 0x00
 *   uint16 big-endian length of key_id in UTF-8, key_id
 *   uint32 big-endian length of body, body (the serialized EnvelopeBody exactly as sent)
 * </pre>
 * The prefix keeps an AMOSKYS signature from being valid for anything else; the key id is bound
 * so a signature cannot be presented under another enrolled key's name.
 */
public final class CanonicalBytes {
    static final byte[] DOMAIN = "AMOSKYS-ENVELOPE-V1\0".getBytes(StandardCharsets.US_ASCII);

    private CanonicalBytes() {}

    public static byte[] of(String keyId, byte[] body) {
        byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
        if (id.length > 0xffff) {
            throw new IllegalArgumentException("key id longer than 65535 bytes");
        }
        return ByteBuffer.allocate(DOMAIN.length + 2 + id.length + 4 + body.length)
                .put(DOMAIN)
                .putShort((short) id.length).put(id)
                .putInt(body.length).put(body)
                .array();
    }
}
