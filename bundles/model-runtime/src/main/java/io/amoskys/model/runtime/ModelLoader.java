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
            descriptorBytes = require(source, descriptorPath);
            byte[] sig = source.read(ModelBundleLayout.signaturePath(descriptorPath));
            SignatureVerdict verdict = ModelSignature.verify(descriptorBytes,
                    sig == null ? null : new String(sig, StandardCharsets.UTF_8), trust::find);
            if (!verdict.accepted()) {
                throw new ModelRefusedException(verdict.reason(), verdict.detail());
            }
            ModelDescriptor descriptor = parse(descriptorBytes);
            byte[] onnx = require(source, descriptor.onnx());
            if (!ModelDescriptor.sha256(onnx).equals(descriptor.onnxSha256())) {
                throw new ModelRefusedException(RefusalReason.ONNX_HASH_MISMATCH,
                        descriptor.onnx() + " is not the file the descriptor's onnxSha256 names");
            }
            OrtModel model = OrtModel.open(environment, onnx, descriptor, settings.maxBatch(), settings.intraOpThreads());
            return new ModelVersion(descriptor, model, source.bundleId(), verdict.keyId(), settings.errorLogNanos());
        } catch (ModelRefusedException e) {
            return refusal(source, descriptorPath, descriptorBytes, e.reason(), e.getMessage());
        } catch (IOException | RuntimeException e) {
            return refusal(source, descriptorPath, descriptorBytes, RefusalReason.CORRUPT,
                    "cannot read the bundle: " + e.getMessage());
        }
    }

    private static byte[] require(ModelSource source, String path) throws IOException, ModelRefusedException {
        byte[] bytes = source.read(path);
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

    /** Names the refused model as well as its descriptor allows, which may be unsigned or broken. */
    private static RefusedModel refusal(ModelSource source, String path, byte[] descriptorBytes, RefusalReason reason,
            String detail) {
        String name = path.replaceFirst("^.*/", "").replaceFirst("\\.json$", "");
        String version = "?";
        if (descriptorBytes != null) {
            try {
                ModelDescriptor d = ModelDescriptor.parse(descriptorBytes);
                name = d.name();
                version = d.version();
            } catch (DescriptorException e) {
                // Named after its path then.
            }
        }
        return new RefusedModel(name, version, reason, detail + " (" + source.describe() + ", " + path + ")",
                source.bundleId());
    }
}
