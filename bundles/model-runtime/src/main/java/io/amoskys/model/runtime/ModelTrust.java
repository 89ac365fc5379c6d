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

    ModelTrust(Path dir, ModelSigner platform) {
        this.dir = dir;
        this.platform = platform;
    }

    /** @return the trusted key with this id, or {@code null} */
    PublicKey find(String keyId) {
        if (!KEY_ID.matcher(keyId).matches()) {
            return null;
        }
        Path file = dir.resolve(keyId + ".properties");
        boolean platformKey = platform != null && platform.keyId().equals(keyId);
        if (!Files.isRegularFile(file)) {
            return platformKey ? platform.publicKey() : null;
        }
        try {
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
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Model trust file {} is broken ({}): key {} is not trusted until it is fixed", file, e.getMessage(), keyId);
            return null;
        }
    }
}
