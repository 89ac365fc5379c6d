package io.amoskys.model.runtime;

import io.amoskys.model.format.ModelSignature;
import io.amoskys.model.format.ModelSigner;
import io.amoskys.schema.Ed25519Keys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's own model key ({@code etc/amoskys/models/platform.key}, made at first start,
 * readable by the owner only): signs the models trained in the shell, and the runtime trusts it.
 */
@Component(service = ModelSigner.class, configurationPid = ModelRuntimeComponent.PID)
public class PlatformModelSigner implements ModelSigner {
    private static final Logger LOG = LoggerFactory.getLogger(PlatformModelSigner.class);

    private final ModelSigner signer;

    @Activate
    public PlatformModelSigner(RuntimeConfig config) throws IOException {
        this(RuntimeSettings.of(config).platformKey());
    }

    PlatformModelSigner(Path keyFile) throws IOException {
        boolean made = !Files.exists(keyFile);
        this.signer = ModelSignature.signer(Ed25519Keys.loadOrCreate(keyFile));
        if (made) {
            LOG.info("Made the platform's model signing key {} in {}", signer.keyId(), keyFile);
        }
    }

    @Override
    public String keyId() {
        return signer.keyId();
    }

    @Override
    public PublicKey publicKey() {
        return signer.publicKey();
    }

    @Override
    public String sign(byte[] descriptorBytes) {
        return signer.sign(descriptorBytes);
    }
}
