package io.amoskys.model.runtime;

import io.amoskys.model.format.ModelSigner;
import io.amoskys.schema.Ed25519Keys;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Properties;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model trust store: one file per trusted signing key, {@code DIR/KEYID.properties} with
 * {@code publicKey=} (base64 X.509), {@code name=} and {@code added=}, the format of the bus's
 * agent trust store; a {@code revoked=} line withdraws the trust. Read at every model load, so an
 * operator's change applies to the next bundle started. The platform's own key is trusted
 * without a file, unless a file for it says {@code revoked=}.
 */
final class ModelTrust {
    private static final Logger LOG = LoggerFactory.getLogger(ModelTrust.class);
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{16}");

    private final Path dir;
    private final ModelSigner platform;
    /** Keys whose file could not be read at the last check, reported once. */
    private final java.util.Set<String> unreadable = java.util.concurrent.ConcurrentHashMap.newKeySet();

    ModelTrust(Path dir, ModelSigner platform) {
        this.dir = dir;
        this.platform = platform;
    }

    /** @return the trusted key with this id, or {@code null} */
    PublicKey find(String keyId) {
        try {
            return read(keyId);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Model trust file {} is broken ({}): key {} is not trusted until it is fixed", file(keyId), e.getMessage(), keyId);
            return null;
        }
    }

    /**
     * Whether the models a key signed may go on running: no when its trust is withdrawn (revoked,
     * its file removed, another key in it), yes when it is trusted, and yes while its file cannot be
     * read or parsed. An editor that rewrites the file in place, or a copy caught half written, must
     * not withdraw every model the key signed: nothing would bring them back short of restarting
     * their bundles. Reported once until the file reads again.
     */
    boolean stillTrusted(String keyId) {
        try {
            boolean trusted = read(keyId) != null;
            unreadable.remove(keyId);
            return trusted;
        } catch (IOException | IllegalArgumentException e) {
            if (unreadable.add(keyId)) {
                LOG.warn("Model trust file {} cannot be read ({}): the models key {} signed keep running; a model it "
                        + "signed is refused at load until it is fixed", file(keyId), e.getMessage(), keyId);
            }
            return true;
        }
    }

    private Path file(String keyId) {
        return dir.resolve(keyId + ".properties");
    }

    /** @throws IOException or IllegalArgumentException when the key's file is there but unreadable or broken */
    private PublicKey read(String keyId) throws IOException {
        if (!KEY_ID.matcher(keyId).matches()) {
            return null;
        }
        Path file = file(keyId);
        boolean platformKey = platform != null && platform.keyId().equals(keyId);
        if (!Files.isRegularFile(file)) {
            return platformKey ? platform.publicKey() : null;
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        if (p.getProperty("revoked") != null) {
            return null; // the platform's own key too: a leaked platform.key can be withdrawn
        }
        if (platformKey) {
            return platform.publicKey();
        }
        PublicKey key = Ed25519Keys.decodePublic(p.getProperty("publicKey", ""));
        if (!Ed25519Keys.keyId(key).equals(keyId)) {
            LOG.warn("Model trust file {} holds key {}, not {}: not trusted", file, Ed25519Keys.keyId(key), keyId);
            return null;
        }
        return key;
    }
}
