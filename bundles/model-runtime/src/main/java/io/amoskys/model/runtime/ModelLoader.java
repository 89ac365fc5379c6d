package io.amoskys.model.runtime;

import ai.onnxruntime.OrtEnvironment;
import io.amoskys.model.format.DescriptorException;
import io.amoskys.model.format.ModelBundleLayout;
import io.amoskys.model.format.ModelDescriptor;
import io.amoskys.model.format.ModelSignature;
import io.amoskys.model.format.RefusalReason;
import io.amoskys.model.format.SignatureVerdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Loads one model of a bundle, in the order that trusts nothing unverified: the signature over
 * the descriptor's bytes first, then the descriptor, the ONNX file's hash, the session, and the
 * tensors against the descriptor.
 */
final class ModelLoader {
    static final int MAX_DESCRIPTOR_BYTES = 1 << 20;
    static final int MAX_SIGNATURE_BYTES = 4 << 10;
    static final int MAX_ONNX_BYTES = 64 << 20;

    private final OrtEnvironment environment;
    private final ModelTrust trust;
    private final RuntimeSettings settings;

    ModelLoader(OrtEnvironment environment, ModelTrust trust, RuntimeSettings settings) {
        this.environment = environment;
        this.trust = trust;
        this.settings = settings;
    }

    /** @return the loaded version, or the refusal with its reason */
    LoadOutcome load(ModelSource source, String descriptorPath) {
        byte[] descriptorBytes = null;
        try {
            descriptorBytes = require(source, descriptorPath, MAX_DESCRIPTOR_BYTES);
            byte[] sig = source.read(ModelBundleLayout.signaturePath(descriptorPath), MAX_SIGNATURE_BYTES);
            SignatureVerdict verdict = ModelSignature.verify(descriptorBytes,
                    sig == null ? null : new String(sig, StandardCharsets.UTF_8), trust::find);
            if (!verdict.accepted()) {
                throw new ModelRefusedException(verdict.reason(), verdict.detail());
            }
            ModelDescriptor descriptor = parse(descriptorBytes);
            byte[] onnx = require(source, descriptor.onnx(), MAX_ONNX_BYTES);
            if (!ModelDescriptor.sha256(onnx).equals(descriptor.onnxSha256())) {
                throw new ModelRefusedException(RefusalReason.ONNX_HASH_MISMATCH,
                        descriptor.onnx() + " is not the file the descriptor's onnxSha256 names");
            }
            OrtModel model = OrtModel.open(environment, onnx, descriptor, settings.maxBatch(), settings.intraOpThreads(),
                    settings.javaTreeRows());
            return new ModelVersion(descriptor, model, source.bundleId(), verdict.keyId(), settings.errorLogNanos(),
                    settings.windowEntities(), settings.strideFor(descriptor.window()));
        } catch (ModelRefusedException e) {
            return refusal(source, descriptorPath, descriptorBytes, e.reason(), e.getMessage());
        } catch (ModelSource.TooLargeException e) {
            return refusal(source, descriptorPath, null, RefusalReason.TOO_LARGE, e.getMessage());
        } catch (IOException | RuntimeException | StackOverflowError e) { // a hostile descriptor must not escape as an error
            return refusal(source, descriptorPath, descriptorBytes, RefusalReason.CORRUPT,
                    "cannot read the bundle: " + e.getMessage());
        }
    }

    private static byte[] require(ModelSource source, String path, int maxBytes) throws IOException, ModelRefusedException {
        byte[] bytes = source.read(path, maxBytes);
        if (bytes == null) {
            throw new ModelRefusedException(RefusalReason.CORRUPT, source.describe() + " has no " + path);
        }
        return bytes;
    }

    private static ModelDescriptor parse(byte[] bytes) throws ModelRefusedException {
        try {
            return ModelDescriptor.parse(bytes);
        } catch (DescriptorException e) {
            throw new ModelRefusedException(RefusalReason.CORRUPT, e.getMessage(), e);
        }
    }

    /**
     * Names the refused model as well as its descriptor allows. The bytes may be unsigned and
     * hostile, so nothing that goes wrong while reading them may escape.
     */
    private static RefusedModel refusal(ModelSource source, String path, byte[] descriptorBytes, RefusalReason reason,
            String detail) {
        String name = path.replaceFirst("^.*/", "").replaceFirst("\\.json$", "");
        String version = "?";
        if (descriptorBytes != null) {
            try {
                ModelDescriptor d = ModelDescriptor.parse(descriptorBytes);
                name = d.name();
                version = d.version();
            } catch (RuntimeException | StackOverflowError e) { // DescriptorException among them
                // Named after its path then.
            }
        }
        return new RefusedModel(name, version, reason, detail + " (" + source.describe() + ", " + path + ")",
                source.bundleId());
    }
}
