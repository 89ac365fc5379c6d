package io.amoskys.model.runtime;

import ai.onnxruntime.OrtEnvironment;
import io.amoskys.api.Detector;
import io.amoskys.model.format.ModelBundleLayout;
import io.amoskys.model.format.ModelBundleWriter;
import io.amoskys.model.format.ModelDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;

/**
 * The model runtime as the platform assembles it, minus OSGi, for the sequence models' tests (the
 * runtime's classes are package-private, hence this package): the model bundle is written and
 * signed with the platform's model key, loaded by the extender (signature, hash, session, trial
 * window) and served by the detector the runtime would register. Settings: the runtime's
 * defaults (batches of at most 1024 windows, one intra-op thread, 4096 entities per model),
 * except windowStride: 1 unless given, since the recipes' parity checks and the windows/s
 * benchmark measure the model on every window.
 */
public final class SequenceRuntime implements AutoCloseable {
    private final Map<String, Detector> detectors = new ConcurrentHashMap<>();
    private final PlatformModelSigner platform;
    private final ModelCatalog catalog;
    private final ModelExtender extender;
    private long bundleIds = 100;

    /** Every window scored (windowStride 1). @param folder where the platform key, the (empty) trust folder and the promotion state go */
    public SequenceRuntime(Path folder) throws IOException {
        this(folder, 1);
    }

    /** @param windowStride as the runtime's configuration: 0 is its default, each model's window */
    public SequenceRuntime(Path folder, int windowStride) throws IOException {
        RuntimeSettings settings = new RuntimeSettings(folder.resolve("etc/amoskys/models/trust"),
                folder.resolve("etc/amoskys/models/platform.key"), folder.resolve("data/amoskys/models/state.properties"),
                1024, 1, 0, RuntimeSettings.DEFAULT_WINDOW_ENTITIES, windowStride);
        this.platform = new PlatformModelSigner(settings.platformKey());
        this.catalog = new ModelCatalog((name, detector) -> {
            detectors.put(name, detector);
            return () -> detectors.remove(name);
        }, new PromotionState(settings.stateFile()));
        this.extender = new ModelExtender(new ModelLoader(OrtEnvironment.getEnvironment(),
                new ModelTrust(settings.trustDir(), platform), settings), catalog);
    }

    /** Starts the model's bundle; @return the detector of its name, as routes would find it */
    public Detector start(ModelDescriptor descriptor, byte[] onnx) throws IOException {
        long id = ++bundleIds;
        JarSource source = new JarSource(id, ModelBundleWriter.toBytes(descriptor, onnx, platform));
        extender.started(source, source.header);
        Detector detector = detectors.get(descriptor.name());
        if (detector == null) {
            throw new IllegalStateException("the runtime did not load " + descriptor.name() + ": " + catalog.models());
        }
        return detector;
    }

    /** Entities the active version of the model keeps windows for, and how many it evicted. */
    public long[] windowStats(String name) {
        for (ModelCatalog.Entry e : catalog.entries()) {
            if (e.version().name().equals(name) && e.version().windows != null) {
                return new long[] {e.version().windows.entities(), e.version().windows.evictions.sum()};
            }
        }
        return new long[] {0, 0};
    }

    /** The active version's windows scored and vectors skipped (not due at the stride) so far. */
    public long[] strideStats(String name) {
        for (ModelCatalog.Entry e : catalog.entries()) {
            if (e.version().name().equals(name)) {
                return new long[] {e.version().stats.rows.sum(), e.version().stats.skipped.sum()};
            }
        }
        return new long[] {0, 0};
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
            return null;
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
