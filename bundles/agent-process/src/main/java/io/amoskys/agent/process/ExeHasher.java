package io.amoskys.agent.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * SHA-256 of executables, computed at most once per (path, file key, size, mtime) and kept in a
 * bounded LRU cache. Files above {@code maxBytes} are not hashed. The bytes are read through
 * {@code /proc/PID/exe}, so deleted or namespaced executables hash as the process sees them.
 */
final class ExeHasher {
    static final int DEFAULT_ENTRIES = 1024;
    static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

    private record Key(String path, Object fileKey, long size, long mtimeNanos) {}

    private final int maxEntries;
    private final long maxBytes;
    private final Map<Key, String> cache;
    private long hashed;

    ExeHasher(int maxEntries, long maxBytes) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, String> eldest) {
                return size() > ExeHasher.this.maxEntries;
            }
        };
    }

    /**
     * The hex SHA-256 of the file {@code exeLink} leads to, known as {@code path}; null when it
     * cannot be read or is larger than the cap.
     */
    synchronized String sha256(String path, Path exeLink) {
        try {
            BasicFileAttributes a = Files.readAttributes(exeLink, BasicFileAttributes.class);
            if (!a.isRegularFile() || a.size() > maxBytes) {
                return null;
            }
            Key key = new Key(path, a.fileKey(), a.size(), a.lastModifiedTime().toInstant().getEpochSecond() * 1_000_000_000L
                    + a.lastModifiedTime().toInstant().getNano());
            String known = cache.get(key);
            if (known != null) {
                return known;
            }
            String hash = hash(exeLink);
            hashed++;
            cache.put(key, hash);
            return hash;
        } catch (IOException | RuntimeException e) {
            return null; // no permission, or the process exited
        }
    }

    static String hash(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(Objects.requireNonNull(file))) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    synchronized int entries() {
        return cache.size();
    }

    /** Files hashed so far (cache misses). */
    synchronized long hashed() {
        return hashed;
    }
}
