package io.amoskys.model.runtime;

import ai.onnxruntime.OrtEnvironment;
import io.amoskys.api.Detector;
import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.model.format.Calibration;
import io.amoskys.model.format.ModelBundleLayout;
import io.amoskys.model.format.ModelBundleWriter;
import io.amoskys.model.format.ModelDescriptor;
import io.amoskys.model.format.ModelSignature;
import io.amoskys.model.format.ModelSigner;
import io.amoskys.model.runtime.admin.ModelStatus;
import io.amoskys.schema.Ed25519Keys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.Attributes;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

/**
 * The runtime as the platform assembles it, minus OSGi: model bundles are jars in memory that
 * "start" and "stop", detectors are registered in a map. Signs with a key the trust folder trusts.
 */
final class Harness implements AutoCloseable {
    static final String SCHEMA = "flow:canonical.1+test.1";
    static final FeatureSchema FLOW = new FeatureSchema(SCHEMA, 1, List.of("noise", "bytes", "packets", "duration"));
    static final List<String> FEATURES = List.of("bytes", "packets", "duration");

    final Path trustDir;
    final Path stateFile;
    final ModelSigner signer = ModelSignature.signer(Ed25519Keys.generate());
    final PlatformModelSigner platform;
    final Map<String, Detector> detectors = new ConcurrentHashMap<>();
    final ModelCatalog catalog;
    final ModelMetrics metrics;
    private final ModelExtender extender;
    private final AtomicLong bundleIds = new AtomicLong(100);

    Harness(Path folder) throws IOException {
        this(folder, RuntimeSettingsForTests.settings(folder));
    }

    Harness(Path folder, RuntimeSettings settings) throws IOException {
        this.trustDir = settings.trustDir();
        this.stateFile = settings.stateFile();
        Files.createDirectories(trustDir);
        trust(signer);
        this.platform = new PlatformModelSigner(settings.platformKey());
        this.catalog = new ModelCatalog((name, detector) -> {
            detectors.put(name, detector);
            return () -> detectors.remove(name);
        }, new PromotionState(stateFile));
        this.metrics = new ModelMetrics(catalog);
        this.extender = new ModelExtender(new ModelLoader(OrtEnvironment.getEnvironment(),
                new ModelTrust(trustDir, platform), settings), catalog);
    }

    /** Writes the trust file of this signer's key, in the bus's format. */
    void trust(ModelSigner key) throws IOException {
        Files.writeString(trustDir.resolve(key.keyId() + ".properties"), "publicKey="
                + Ed25519Keys.encodePublic(key.publicKey()) + "\nname=test\nadded=" + Instant.now() + "\n");
    }

    static ModelDescriptor.Builder descriptor(String name, String version, byte[] onnx) {
        return ModelDescriptor.builder().name(name).version(version).schema(SCHEMA).features(FEATURES)
                .input("X").output("score").outputMeaning("High: unlike the training flows")
                .calibration(Calibration.identity()).threshold(0.5)
                .onnx(ModelBundleLayout.onnxPath(name, version), onnx).training(Map.of("rows", 100));
    }

    static byte[] bundle(ModelDescriptor descriptor, byte[] onnx, ModelSigner signer) {
        try {
            return ModelBundleWriter.toBytes(descriptor, onnx, signer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] bundle(ModelDescriptor descriptor, byte[] onnx) {
        return bundle(descriptor, onnx, signer);
    }

    /** Starts a model bundle; @return its bundle id */
    long start(byte[] jar) {
        long id = bundleIds.incrementAndGet();
        JarSource source = new JarSource(id, jar);
        extender.started(source, source.header);
        return id;
    }

    void stop(long bundleId) {
        extender.stopped(bundleId);
    }

    ModelStatus status(String name, String version) {
        return catalog.models().stream().filter(m -> m.name().equals(name) && m.version().equals(version))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " " + version + " in " + catalog.models()));
    }

    static FeatureVector vector(double bytes, double packets, double duration) {
        return new FeatureVector(FLOW, "10.0.0.1", 1_000L, new double[] {42, bytes, packets, duration},
                List.of("event-1", "event-2"));
    }

    static byte[] jar(Map<String, byte[]> entries, String header) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue(ModelBundleLayout.MODELS_HEADER, header);
        try (JarOutputStream jar = new JarOutputStream(out, manifest)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                jar.putNextEntry(new ZipEntry(e.getKey()));
                jar.write(e.getValue());
                jar.closeEntry();
            }
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        catalog.close();
    }

    /** A model bundle's files, read from the jar as the bundle would serve them. */
    private static final class JarSource implements ModelSource {
        private final long id;
        private final Map<String, byte[]> entries = new HashMap<>();
        private final String header;

        JarSource(long id, byte[] jar) {
            this.id = id;
            try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
                header = in.getManifest().getMainAttributes().getValue(ModelBundleLayout.MODELS_HEADER);
                for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public byte[] read(String path, int maxBytes) throws IOException {
            byte[] bytes = entries.get(path);
            return bytes == null ? null : ModelSource.readAtMost(new ByteArrayInputStream(bytes), path, maxBytes);
        }

        @Override
        public String code() {
            return entries.keySet().stream().filter(e -> e.endsWith(".class")).findFirst().map(e -> "class files (" + e + ")")
                    .orElse(null);
        }

        @Override
        public String describe() {
            return "test bundle " + id;
        }

        @Override
        public long bundleId() {
            return id;
        }
    }
}
