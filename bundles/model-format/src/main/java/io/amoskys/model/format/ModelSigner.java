package io.amoskys.model.format;

import java.security.PublicKey;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Signs model descriptors with one Ed25519 key. The model runtime registers one as a service for
 * the platform's own model key, so that models trained in the shell ({@code amoskys:train}) are
 * trusted; {@link ModelSignature#signer} makes one of any key pair (build-time trainers).
 */
@ProviderType
public interface ModelSigner {
    /** The key id, as {@code Ed25519Keys.keyId}. */
    String keyId();

    PublicKey publicKey();

    /** @return the text of the {@code .sig} file for exactly these descriptor bytes */
    String sign(byte[] descriptorBytes);
}
