package io.amoskys.bus.internal;

import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * The hash chain over group commits (docs/PROTOCOL.md, "Storage"): a commit's hash is SHA-256 of
 * the previous commit's hash, the commit number and envelope count, then for every envelope in
 * offset order its offset, length and stored bytes.
 */
final class ChainHash {
    private ChainHash() {}

    static MessageDigest begin(byte[] previous, long commitNo, int envelopes) {
        MessageDigest digest = WriteAheadLog.sha256();
        digest.update(previous);
        digest.update(ByteBuffer.allocate(12).putLong(commitNo).putInt(envelopes).array());
        return digest;
    }

    static void addEnvelope(MessageDigest digest, long offset, byte[] bytes) {
        digest.update(ByteBuffer.allocate(12).putLong(offset).putInt(bytes.length).array());
        digest.update(bytes);
    }
}
