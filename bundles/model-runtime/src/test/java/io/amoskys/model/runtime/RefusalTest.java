package io.amoskys.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.model.format.ModelBundleWriter;
import io.amoskys.model.format.ModelDescriptor;
import io.amoskys.model.format.ModelSignature;
import io.amoskys.model.format.ModelSigner;
import io.amoskys.model.runtime.admin.ModelStatus;
import io.amoskys.schema.Ed25519Keys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every reason to refuse a model, each with no detector registered and the reason shown. */
class RefusalTest {
    static final byte[] ONNX = TestModels.logistic(0.001f, 0.1f, -0.5f);

    @TempDir
    Path folder;

    @Test
    void refusesAModelWithoutSignature() throws Exception {
        try (Harness h = new Harness(folder)) {
            ModelDescriptor d = Harness.descriptor("m", "1.0.0", ONNX).build();
            h.start(raw(d, d.toJson(), null, ONNX));
            assertRefused(h, "unsigned");
        }
    }

    @Test
    void refusesAKeyNotInTheTrustStore() throws Exception {
        try (Harness h = new Harness(folder)) {
            ModelSigner stranger = ModelSignature.signer(Ed25519Keys.generate());
            h.start(Harness.bundle(Harness.descriptor("m", "1.0.0", ONNX).build(), ONNX, stranger));
            assertRefused(h, "untrusted-key");
        }
    }

    @Test
    void refusesARevokedKey() throws Exception {
        try (Harness h = new Harness(folder)) {
            Path file = h.trustDir.resolve(h.signer.keyId() + ".properties");
            Files.writeString(file, Files.readString(file) + "revoked=2026-11-26T00:00:00Z\n");
            h.start(h.bundle(Harness.descriptor("m", "1.0.0", ONNX).build(), ONNX));
            assertRefused(h, "untrusted-key");
        }
    }

    @Test
    void thePlatformsOwnKeyIsTrustedWithoutAFileAndCanBeRevoked() throws Exception {
        try (Harness h = new Harness(folder)) {
            h.start(Harness.bundle(Harness.descriptor("m", "1.0.0", ONNX).build(), ONNX, h.platform));
            assertEquals("active", h.catalog.models().get(0).state(), "trusted without a file");
        }
        try (Harness h = new Harness(folder.resolve("again"))) {
            Files.writeString(h.trustDir.resolve(h.platform.keyId() + ".properties"),
                    "publicKey=" + Ed25519Keys.encodePublic(h.platform.publicKey()) + "\nrevoked=2026-11-26T00:00:00Z\n");
            h.start(Harness.bundle(Harness.descriptor("m", "1.0.0", ONNX).build(), ONNX, h.platform));
            assertRefused(h, "untrusted-key");
        }
    }

    @Test
    void aModelWhoseKeyIsRevokedWhileItRunsIsWithdrawn() throws Exception {
        try (Harness h = new Harness(folder)) {
            h.start(h.bundle(Harness.descriptor("m", "1.0.0", ONNX).build(), ONNX));
            ModelTrust trust = new ModelTrust(h.trustDir, h.platform);
            assertEquals(0, h.catalog.withdrawUntrusted(trust::stillTrusted), "trusted: it stays");
            Path file = h.trustDir.resolve(h.signer.keyId() + ".properties");
            String trusted = Files.readString(file);
            // An editor that rewrites in place: for a moment the file is empty, then half written.
            Files.writeString(file, "");
            assertEquals(0, h.catalog.withdrawUntrusted(trust::stillTrusted), "an unreadable file withdraws nothing");
            Files.writeString(file, trusted.substring(0, trusted.indexOf("publicKey=") + 14));
            assertEquals(0, h.catalog.withdrawUntrusted(trust::stillTrusted), "nor a half-written one");
            assertEquals("active", h.catalog.models().get(0).state());
            assertNull(trust.find(h.signer.keyId()), "a model loaded now would be refused");
            Files.writeString(file, trusted + "revoked=2026-11-26T00:00:00Z\n");
            assertEquals(1, h.catalog.withdrawUntrusted(trust::stillTrusted));
            ModelStatus m = assertRefused(h, "untrusted-key");
            assertTrue(m.detail().contains("withdrawn while it ran"), m.detail());
        }
    }

    @Test
    void refusesATamperedDescriptor() throws Exception {
        try (Harness h = new Harness(folder)) {
            ModelDescriptor signed = Harness.descriptor("m", "1.0.0", ONNX).build();
            String sig = h.signer.sign(signed.toJson());
            byte[] tampered = signed.toBuilder().threshold(0.99).build().toJson();
            h.start(raw(signed, tampered, sig, ONNX));
            assertRefused(h, "bad-signature");
        }
    }

    @Test
    void refusesATamperedOnnxFile() throws Exception {
        try (Harness h = new Harness(folder)) {
            ModelDescriptor d = Harness.descriptor("m", "1.0.0", ONNX).build();
            byte[] other = TestModels.logistic(9f, 9f, 9f);
            h.start(raw(d, d.toJson(), h.signer.sign(d.toJson()), other));
            assertRefused(h, "onnx-hash-mismatch");
        }
    }

    @Test
    void refusesAModelWhoseInputWidthIsNotTheDescriptorsFeatureCount() throws Exception {
        try (Harness h = new Harness(folder)) {
            h.start(h.bundle(Harness.descriptor("m", "1.0.0", ONNX)
                    .features(List.of("noise", "bytes", "packets", "duration")).build(), ONNX));
            String detail = assertRefused(h, "wrong-shape").detail();
            assertTrue(detail.contains("[N, 4]"), detail);
        }
    }

    @Test
    void refusesTensorNamesTheModelDoesNotHave() throws Exception {
        try (Harness h = new Harness(folder)) {
            h.start(h.bundle(Harness.descriptor("a", "1.0.0", ONNX).output("probability").build(), ONNX));
            h.start(h.bundle(Harness.descriptor("b", "1.0.0", ONNX).input("features").build(), ONNX));
            h.start(h.bundle(Harness.descriptor("c", "1.0.0", ONNX).outputIndex(3).build(), ONNX));
            assertEquals(List.of("wrong-shape", "wrong-shape", "wrong-shape"),
                    h.catalog.models().stream().map(ModelStatus::reason).toList());
            assertTrue(h.detectors.isEmpty());
        }
    }

    @Test
    void refusesACorruptOnnxFile() throws Exception {
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);
        try (Harness h = new Harness(folder)) {
            h.start(h.bundle(Harness.descriptor("m", "1.0.0", garbage).build(), garbage));
            assertRefused(h, "corrupt");
        }
    }

    @Test
    void refusesABundleMissingAFileItNames() throws Exception {
        try (Harness h = new Harness(folder)) {
            ModelDescriptor d = Harness.descriptor("m", "1.0.0", ONNX).build();
            Map<String, byte[]> entries = new LinkedHashMap<>();
            entries.put("models/m.json", d.toJson());
            entries.put("models/m.json.sig", h.signer.sign(d.toJson()).getBytes(StandardCharsets.UTF_8));
            h.start(Harness.jar(entries, "models/m.json, models/gone.json"));
            assertEquals(List.of("corrupt", "corrupt"), h.catalog.models().stream().map(ModelStatus::reason).toList());
            assertTrue(h.status("m", "1.0.0").detail().contains("has no models/m-1.0.0.onnx"), h.catalog.models().toString());
            assertTrue(h.status("gone", "?").detail().contains("has no models/gone.json"), h.catalog.models().toString());
        }
    }

    @Test
    void refusesASecondBundleOfTheSameVersionAndKeepsTheFirst() throws Exception {
        try (Harness h = new Harness(folder)) {
            byte[] jar = h.bundle(Harness.descriptor("m", "1.0.0", ONNX).build(), ONNX);
            h.start(jar);
            h.start(jar);
            assertEquals(List.of("active", "refused"), h.catalog.models().stream().map(ModelStatus::state).toList());
            assertEquals("duplicate-version", h.catalog.models().get(1).reason());
            assertNotNull(h.detectors.get("m").score(Harness.vector(1, 2, 3)));
        }
    }

    @Test
    void trustsThePlatformsOwnKeyWithoutATrustFile() throws Exception {
        try (Harness h = new Harness(folder)) {
            assertFalse(Files.exists(h.trustDir.resolve(h.platform.keyId() + ".properties")));
            h.start(Harness.bundle(Harness.descriptor("m", "1.0.0", ONNX).build(), ONNX, h.platform));
            assertEquals("active", h.status("m", "1.0.0").state());
        }
    }

    @Test
    void aRefusalGoesWithItsBundleAndIsCounted() throws Exception {
        try (Harness h = new Harness(folder)) {
            ModelDescriptor d = Harness.descriptor("m", "1.0.0", ONNX).build();
            long id = h.start(raw(d, d.toJson(), null, ONNX));
            h.stop(id);
            assertEquals(List.of(), h.catalog.models());
            StringBuilder metrics = new StringBuilder();
            h.metrics.writePrometheus(metrics);
            assertTrue(metrics.toString().contains("amoskys_model_refused_total{reason=\"unsigned\"} 1\n"), metrics.toString());
        }
    }

    @Test
    void refusesAnOversizedDescriptorWithoutReadingItWhole() throws Exception {
        try (Harness h = new Harness(folder)) {
            ModelDescriptor d = Harness.descriptor("m", "1.0.0", ONNX).build();
            byte[] huge = new byte[ModelLoader.MAX_DESCRIPTOR_BYTES + 1];
            java.util.Arrays.fill(huge, (byte) ' ');
            h.start(raw(d, huge, null, ONNX));
            List<ModelStatus> models = h.catalog.models();
            assertEquals(1, models.size(), models.toString());
            assertEquals("too-large", models.get(0).reason(), models.get(0).detail());
            assertTrue(h.detectors.isEmpty());
        }
    }

    @Test
    void aHostileDeeplyNestedUnsignedDescriptorIsRefusedNotThrown() throws Exception {
        try (Harness h = new Harness(folder)) {
            ModelDescriptor d = Harness.descriptor("m", "1.0.0", ONNX).build();
            String json = new String(d.toJson(), StandardCharsets.UTF_8);
            String nested = "{\"k\":".repeat(100_000) + "1" + "}".repeat(100_000);
            byte[] hostile = json.replaceFirst("\"training\"\\s*:\\s*\\{", "\"training\": {\"deep\": " + java.util.regex.Matcher.quoteReplacement(nested) + ",")
                    .getBytes(StandardCharsets.UTF_8);
            assertTrue(hostile.length > 500_000, "the nesting went into the descriptor");
            h.start(raw(d, hostile, null, ONNX));
            List<ModelStatus> models = h.catalog.models();
            assertEquals(1, models.size(), models.toString());
            assertEquals("refused", models.get(0).state());
            assertTrue(h.detectors.isEmpty());
        }
    }

    @Test
    void refusesASignedModelRepackedWithCode() throws Exception {
        try (Harness h = new Harness(folder)) {
            byte[] signed = h.bundle(Harness.descriptor("m", "1.0.0", ONNX).build(), ONNX);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (java.util.jar.JarInputStream in = new java.util.jar.JarInputStream(new java.io.ByteArrayInputStream(signed));
                    java.util.jar.JarOutputStream copy = new java.util.jar.JarOutputStream(out, in.getManifest())) {
                for (java.util.jar.JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                    copy.putNextEntry(new java.util.jar.JarEntry(e.getName()));
                    copy.write(in.readAllBytes());
                }
                copy.putNextEntry(new java.util.jar.JarEntry("evil/Activator.class"));
                copy.write(new byte[] {(byte) 0xCA, (byte) 0xFE});
            }
            h.start(out.toByteArray());
            List<ModelStatus> models = h.catalog.models();
            assertEquals(1, models.size(), models.toString());
            assertEquals("carries-code", models.get(0).reason(), models.get(0).detail());
            assertTrue(h.detectors.isEmpty(), "the signed model inside is not loaded either");
        }
    }

    private static ModelStatus assertRefused(Harness h, String reason) {
        List<ModelStatus> models = h.catalog.models();
        assertEquals(1, models.size(), models.toString());
        ModelStatus m = models.get(0);
        assertEquals("refused", m.state());
        assertEquals(reason, m.reason(), m.detail());
        assertEquals("m", m.name(), "named after the descriptor even when it is not trusted");
        assertTrue(h.detectors.isEmpty(), "a refused model registers no detector");
        return m;
    }

    private static byte[] raw(ModelDescriptor d, byte[] descriptorBytes, String sig, byte[] onnx) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelBundleWriter.writeRaw(out, d, descriptorBytes, sig, onnx);
        return out.toByteArray();
    }
}
