package io.amoskys.bus.internal;

import io.amoskys.schema.Ed25519Keys;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The enrolled agent keys, one file per key under {@code DIR/trust/KEYID.properties} so that an
 * operator can read, back up and audit them. Kept in memory for the verify path; every change is
 * written before it takes effect.
 */
public final class TrustStore {
    /** Longest an agent's older keys stay valid after a rotation: a year. */
    public static final Duration MAX_GRACE = Duration.ofDays(365);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrustStore.class);
    static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:-]{0,127}");

    private final Path dir;
    private final Map<String, TrustedKey> keys = new ConcurrentHashMap<>();
    private final List<String> broken = new java.util.ArrayList<>();

    public TrustStore(Path dir) throws IOException {
        this.dir = dir.resolve("trust");
        Files.createDirectories(this.dir);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(this.dir, "*.properties")) {
            for (Path file : files) {
                try {
                    TrustedKey key = read(file);
                    keys.put(key.keyId(), key);
                } catch (IOException e) {
                    // One broken file must not distrust every other agent: skip it, say which.
                    LOG.error("{}; that key is not trusted until the file is fixed", e.getMessage());
                    broken.add(file.getFileName().toString());
                }
            }
        }
    }

    /** Key files that could not be read at start. */
    public List<String> brokenFiles() {
        return List.copyOf(broken);
    }

    public Optional<TrustedKey> find(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    public List<TrustedKey> list() {
        return keys.values().stream()
                .sorted(Comparator.comparing(TrustedKey::agentId).thenComparing(TrustedKey::enrolled))
                .toList();
    }

    /** Enrolls {@code publicKey} for {@code agentId}; enrolling the same key again changes nothing. */
    public synchronized TrustedKey enroll(String agentId, PublicKey publicKey) throws IOException {
        if (!AGENT_ID.matcher(agentId).matches()) {
            throw new IllegalArgumentException("'" + agentId + "' is not a valid agent id "
                    + "(letters, digits and . _ @ : -, at most 128)");
        }
        String keyId = Ed25519Keys.keyId(publicKey);
        TrustedKey existing = keys.get(keyId);
        if (existing != null) {
            if (!existing.agentId().equals(agentId)) {
                throw new IllegalArgumentException("key " + keyId + " is already enrolled for agent " + existing.agentId());
            }
            if (existing.revoked() != null) {
                throw new IllegalArgumentException("key " + keyId + " was revoked; a revoked key is never enrolled again");
            }
            return existing;
        }
        TrustedKey key = new TrustedKey(keyId, agentId, publicKey, Ed25519Keys.encodePublic(publicKey),
                Instant.now(), null, null);
        write(key);
        return key;
    }

    /** Revokes a key at once: nothing it signs is accepted from now on. */
    public synchronized TrustedKey revoke(String keyId) throws IOException {
        TrustedKey key = require(keyId);
        if (key.revoked() != null) {
            return key;
        }
        TrustedKey revoked = new TrustedKey(key.keyId(), key.agentId(), key.publicKey(), key.publicKeyText(),
                key.enrolled(), key.expires(), Instant.now());
        write(revoked);
        return revoked;
    }

    /**
     * Enrolls the agent's new key and lets its other active keys expire after {@code grace}, so
     * envelopes the agent signed before it switched still verify while they drain.
     */
    public synchronized TrustedKey rotate(String agentId, PublicKey newKey, Duration grace) throws IOException {
        if (grace.isNegative() || grace.compareTo(MAX_GRACE) > 0) { // checked before anything is enrolled
            throw new IllegalArgumentException("the older keys' grace must be 0 to " + MAX_GRACE.toHours() + " hours, was "
                    + grace.toHours());
        }
        TrustedKey enrolled = enroll(agentId, newKey);
        Instant expires = Instant.now().plus(grace);
        for (TrustedKey old : List.copyOf(keys.values())) {
            if (old.agentId().equals(agentId) && !old.keyId().equals(enrolled.keyId())
                    && old.revoked() == null && (old.expires() == null || old.expires().isAfter(expires))) {
                write(new TrustedKey(old.keyId(), old.agentId(), old.publicKey(), old.publicKeyText(),
                        old.enrolled(), expires, null));
            }
        }
        return enrolled;
    }

    private TrustedKey require(String keyId) {
        TrustedKey key = keys.get(keyId);
        if (key == null) {
            throw new IllegalArgumentException("no enrolled key " + keyId + " (see amoskys:keys list)");
        }
        return key;
    }

    private void write(TrustedKey key) throws IOException {
        Properties p = new Properties();
        p.setProperty("agent", key.agentId());
        p.setProperty("publicKey", key.publicKeyText());
        p.setProperty("enrolled", key.enrolled().toString());
        if (key.expires() != null) {
            p.setProperty("expires", key.expires().toString());
        }
        if (key.revoked() != null) {
            p.setProperty("revoked", key.revoked().toString());
        }
        Path file = dir.resolve(key.keyId() + ".properties");
        Path tmp = dir.resolve(key.keyId() + ".tmp");
        java.io.StringWriter text = new java.io.StringWriter();
        p.store(text, "AMOSKYS trusted agent key " + key.keyId());
        // On disk before it takes effect: a revocation must survive a power cut.
        try (java.nio.channels.FileChannel out = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)) {
            out.write(java.nio.ByteBuffer.wrap(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            out.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (java.nio.channels.FileChannel folder = java.nio.channels.FileChannel.open(dir)) {
            folder.force(true);
        }
        keys.put(key.keyId(), key);
    }

    private static TrustedKey read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        try {
            PublicKey publicKey = Ed25519Keys.decodePublic(p.getProperty("publicKey", ""));
            String keyId = Ed25519Keys.keyId(publicKey);
            String expected = file.getFileName().toString().replace(".properties", "");
            if (!keyId.equals(expected)) {
                throw new IOException(file + " holds key " + keyId + ", not " + expected);
            }
            String agent = p.getProperty("agent", "");
            if (!AGENT_ID.matcher(agent).matches()) {
                throw new IOException(file + " names no valid agent ('" + agent + "')");
            }
            return new TrustedKey(keyId, agent, publicKey, p.getProperty("publicKey").strip(),
                    Instant.parse(p.getProperty("enrolled")), instant(p, "expires"), instant(p, "revoked"));
        } catch (RuntimeException e) {
            throw new IOException("trusted key file " + file + " is broken: " + e.getMessage(), e);
        }
    }

    private static Instant instant(Properties p, String name) {
        String value = p.getProperty(name);
        return value == null ? null : Instant.parse(value);
    }
}
