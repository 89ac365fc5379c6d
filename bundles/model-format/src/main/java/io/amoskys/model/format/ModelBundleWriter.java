package io.amoskys.model.format;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a model bundle: a jar with an OSGi manifest and, under {@code models/}, the descriptor,
 * its signature and the ONNX file. Entries are written in a fixed order with a fixed time, so
 * the same model and key give the same bytes.
 */
public final class ModelBundleWriter {
    /** Every entry's time (local, as zip stores it): fixed so that builds are reproducible. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2026, 1, 1, 0, 0);

    private ModelBundleWriter() {}

    /** Writes the bundle of {@code descriptor}, signed by {@code signer}. */
    public static void write(OutputStream out, ModelDescriptor descriptor, byte[] onnx, ModelSigner signer)
            throws IOException {
        if (!descriptor.onnxSha256().equals(ModelDescriptor.sha256(onnx))) {
            throw new IllegalArgumentException("the ONNX file's SHA-256 is not the descriptor's onnxSha256");
        }
        byte[] descriptorBytes = descriptor.toJson();
        writeRaw(out, descriptor, descriptorBytes, signer.sign(descriptorBytes), onnx);
    }

    /** The bundle as bytes. */
    public static byte[] toBytes(ModelDescriptor descriptor, byte[] onnx, ModelSigner signer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(onnx.length + 4096);
        write(out, descriptor, onnx, signer);
        return out.toByteArray();
    }

    /**
     * Writes the entries as given, unchecked: for tools that repackage a signed model and for
     * tests that need a tampered or unsigned one.
     *
     * @param descriptor gives the name, version, and the paths of the entries
     * @param signature the {@code .sig} text, or {@code null} for none
     */
    public static void writeRaw(OutputStream out, ModelDescriptor descriptor, byte[] descriptorBytes,
            String signature, byte[] onnx) throws IOException {
        String descriptorPath = ModelBundleLayout.descriptorPath(descriptor.name());
        ZipOutputStream zip = new ZipOutputStream(out);
        entry(zip, "META-INF/", new byte[0]);
        entry(zip, "META-INF/MANIFEST.MF", manifest(descriptor, descriptorPath));
        entry(zip, descriptorPath, descriptorBytes);
        if (signature != null) {
            entry(zip, ModelBundleLayout.signaturePath(descriptorPath), signature.getBytes(StandardCharsets.UTF_8));
        }
        entry(zip, descriptor.onnx(), onnx);
        zip.finish();
    }

    private static byte[] manifest(ModelDescriptor d, String descriptorPath) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", ModelBundleLayout.SYMBOLIC_NAME_PREFIX + d.name());
        main.putValue("Bundle-Version", d.version());
        main.putValue("Bundle-Name", "AMOSKYS model " + d.name() + " " + d.version());
        main.putValue("Bundle-Description", d.outputMeaning());
        main.putValue(ModelBundleLayout.MODELS_HEADER, descriptorPath);
        // Without the runtime the bundle does not resolve, rather than sitting there unused; a
        // sequence model needs a runtime that keeps windows (1.1), a model of single vectors any 1.x.
        main.putValue("Require-Capability", "osgi.extender;filter:=\"(&(osgi.extender=" + ModelBundleLayout.EXTENDER
                + ")(version>=" + (d.window() > 1 ? "1.1" : "1.0") + ")(!(version>=2.0)))\"");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        manifest.write(bytes);
        return bytes.toByteArray();
    }

    private static void entry(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }
}
