package io.amoskys.model.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.schema.Ed25519Keys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

class ModelBundleWriterTest {
    private final ModelSigner signer = ModelSignature.signer(Ed25519Keys.generate());

    @Test
    void writesAnOsgiBundleCarryingTheSignedModel() throws IOException {
        ModelDescriptor descriptor = Descriptors.valid().build();
        byte[] jar = ModelBundleWriter.toBytes(descriptor, Descriptors.ONNX, signer);

        Map<String, byte[]> entries = new LinkedHashMap<>();
        Attributes main;
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            main = in.getManifest().getMainAttributes();
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        assertEquals("2", main.getValue("Bundle-ManifestVersion"));
        assertEquals("amoskys.model.iforest", main.getValue("Bundle-SymbolicName"));
        assertEquals("1.2.3", main.getValue("Bundle-Version"));
        assertEquals("models/iforest.json", main.getValue(ModelBundleLayout.MODELS_HEADER));
        assertTrue(main.getValue("Require-Capability").contains("osgi.extender=io.amoskys.models"));
        assertTrue(main.getValue("Require-Capability").contains("(version>=1.0)(!(version>=2.0))"), "any 1.x runtime");
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(
                ModelBundleWriter.toBytes(Descriptors.valid().window(8).build(), Descriptors.ONNX, signer)))) {
            assertTrue(in.getManifest().getMainAttributes().getValue("Require-Capability").contains("(version>=1.1)(!(version>=2.0))"),
                    "a sequence model needs a runtime that keeps windows");
        }
        assertEquals(List.of("models/iforest.json", "models/iforest.json.sig", "models/iforest-1.2.3.onnx"),
                List.copyOf(entries.keySet()));
        assertArrayEquals(descriptor.toJson(), entries.get("models/iforest.json"));
        assertArrayEquals(Descriptors.ONNX, entries.get("models/iforest-1.2.3.onnx"));
        String sig = new String(entries.get("models/iforest.json.sig"), StandardCharsets.UTF_8);
        assertTrue(ModelSignature.verify(entries.get("models/iforest.json"), sig,
                id -> id.equals(signer.keyId()) ? signer.publicKey() : null).accepted());
    }

    @Test
    void theSameInputsGiveTheSameBytes() throws Exception {
        byte[] first = ModelBundleWriter.toBytes(Descriptors.valid().build(), Descriptors.ONNX, signer);
        byte[] second = ModelBundleWriter.toBytes(Descriptors.valid().build(), Descriptors.ONNX, signer);
        assertArrayEquals(first, second);
    }

    @Test
    void refusesAnOnnxFileTheDescriptorDoesNotDescribe() {
        assertThrows(IllegalArgumentException.class, () -> ModelBundleWriter.toBytes(Descriptors.valid().build(),
                "other".getBytes(StandardCharsets.UTF_8), signer));
    }
}
