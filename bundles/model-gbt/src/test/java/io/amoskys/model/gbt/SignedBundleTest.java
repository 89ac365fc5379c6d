package io.amoskys.model.gbt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.model.format.ModelBundleLayout;
import io.amoskys.model.format.ModelBundleWriter;
import io.amoskys.model.format.ModelDescriptor;
import io.amoskys.model.format.ModelSignature;
import io.amoskys.model.format.ModelSigner;
import io.amoskys.model.format.SignatureVerdict;
import io.amoskys.schema.Ed25519Keys;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** What the README tells an operator to do: the descriptor and ONNX file packed and signed into a model bundle. */
class SignedBundleTest {
    @Test
    void theModelPacksIntoASignedBundleThatVerifies() throws Exception {
        TrainedGbt model = GbtTrainer.train(SyntheticTest.set(SyntheticTest.rows(1000, 5, 0.1)), GbtParameters.DEFAULTS);
        try {
            ModelDescriptor descriptor = GbtDescriptors.describe(model, "gbt", "1.0.0", Map.of("recipe", "test"));
            ModelSigner signer = ModelSignature.signer(Ed25519Keys.generate());
            byte[] jar = ModelBundleWriter.toBytes(descriptor, model.onnx(), signer);

            Map<String, byte[]> entries = new HashMap<>();
            String models;
            try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
                models = in.getManifest().getMainAttributes().getValue(ModelBundleLayout.MODELS_HEADER);
                for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
            assertEquals("models/gbt.json", models);
            assertArrayEquals(model.onnx(), entries.get("models/gbt-1.0.0.onnx"));
            byte[] json = entries.get("models/gbt.json");
            SignatureVerdict verdict = ModelSignature.verify(json, new String(entries.get("models/gbt.json.sig"), StandardCharsets.UTF_8),
                    keyId -> keyId.equals(signer.keyId()) ? signer.publicKey() : null);
            assertTrue(verdict.accepted(), verdict.toString());
            assertEquals(GbtOnnx.OUTPUT, ModelDescriptor.parse(json).output());
            assertTrue(ModelDescriptor.parse(json).outputIndex().isEmpty(), "a [N, 1] output needs no outputIndex");

            // the runtime's load check: one row of zeros scores to a probability
            float[] zero = OrtScores.of(entries.get("models/gbt-1.0.0.onnx"), new float[1][descriptor.features().size()]);
            assertTrue(zero[0] >= 0 && zero[0] <= 1, "probability " + zero[0]);
        } finally {
            model.booster().dispose();
        }
    }
}
