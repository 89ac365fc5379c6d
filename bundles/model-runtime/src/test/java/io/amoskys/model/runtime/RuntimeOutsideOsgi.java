package io.amoskys.model.runtime;

import ai.onnxruntime.OrtEnvironment;
import io.amoskys.api.Detector;
import io.amoskys.model.format.ModelBundleWriter;
import io.amoskys.model.format.ModelDescriptor;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;

/**
 * The model runtime as the platform assembles it, minus OSGi, for the model bundles' tests and
 * benchmarks (the runtime's classes are package-private, hence this package; other modules take it
 * from this module's test jar): the model bundle is written
 * and signed with the platform's model key into a jar file, handed to the runtime's bundle tracker
 * as a started bundle, loaded by the extender (signature, hash, session, trial row) and served by
 * the detector the runtime would register. Settings are the runtime's defaults: batches of at
 * most 1024 rows, one intra-op thread, 4096 entities' windows per sequence model, and, unless
 * given, its javaTreeRows and its windowStride (each sequence model's own window; the sequence recipes' parity checks
 * and windows/s benchmark give 1, a window for every vector).
 */
public final class RuntimeOutsideOsgi implements AutoCloseable {
    private final Map<String, Detector> detectors = new ConcurrentHashMap<>();
    private final PlatformModelSigner platform;
    private final ModelCatalog catalog;
    private final ModelBundleTracker tracker;
    private final Path folder;
    private long bundleIds = 100;

    /** @param folder where the platform key, the (empty) trust folder and the promotion state go */
    public RuntimeOutsideOsgi(Path folder) throws IOException {
        this(folder, RuntimeSettings.STRIDE_OF_THE_MODEL);
    }

    /** @param windowStride as the runtime's configuration: 0 is its default, each sequence model's window */
    public RuntimeOutsideOsgi(Path folder, int windowStride) throws IOException {
        this(folder, windowStride, RuntimeSettings.DEFAULT_JAVA_TREE_ROWS);
    }

    /** @param javaTreeRows as the runtime's configuration: tree models' calls of up to this many rows are scored in Java */
    public RuntimeOutsideOsgi(Path folder, int windowStride, int javaTreeRows) throws IOException {
        RuntimeSettings settings = new RuntimeSettings(folder.resolve("etc/amoskys/models/trust"),
                folder.resolve("etc/amoskys/models/platform.key"), folder.resolve("data/amoskys/models/state.properties"),
                1024, 1, 0, RuntimeSettings.DEFAULT_WINDOW_ENTITIES, windowStride, javaTreeRows);
        this.platform = new PlatformModelSigner(settings.platformKey());
        this.catalog = new ModelCatalog((name, detector) -> {
            detectors.put(name, detector);
            return () -> detectors.remove(name);
        }, new PromotionState(settings.stateFile()));
        this.tracker = new ModelBundleTracker(new ModelExtender(new ModelLoader(OrtEnvironment.getEnvironment(),
                new ModelTrust(settings.trustDir(), platform), settings), catalog));
        this.folder = folder;
    }

    /** Starts the model's bundle; @return the detector of its name, as routes would find it */
    public Detector start(ModelDescriptor descriptor, byte[] onnx) throws IOException {
        long id = ++bundleIds;
        Path jar = folder.resolve("bundle-" + id + ".jar");
        Files.write(jar, ModelBundleWriter.toBytes(descriptor, onnx, platform));
        tracker.addingBundle(bundle(id, jar), null);
        Detector detector = detectors.get(descriptor.name());
        if (detector == null) {
            throw new IllegalStateException("the runtime did not load " + descriptor.name() + ": " + catalog.models());
        }
        return detector;
    }

    /** Entities the active version of a sequence model keeps windows for, and how many it evicted. */
    public long[] windowStats(String name) {
        for (ModelCatalog.Entry e : catalog.entries()) {
            if (e.version().name().equals(name) && e.version().windows != null) {
                return new long[] {e.version().windows.entities(), e.version().windows.evictions.sum()};
            }
        }
        return new long[] {0, 0};
    }

    /** Calls of up to this many rows the active version scores in Java (0: ONNX Runtime scores them all). */
    public int javaTreeRows(String name) {
        return catalog.entries().stream().filter(e -> e.version().name().equals(name) && e.state() == ModelState.ACTIVE)
                .findFirst().map(e -> e.version().javaTreeRows()).orElse(0);
    }

    /** The active version's rows (windows) scored and vectors skipped (not due at the stride) so far. */
    public long[] strideStats(String name) {
        for (ModelCatalog.Entry e : catalog.entries()) {
            if (e.version().name().equals(name)) {
                return new long[] {e.version().stats.rows.sum(), e.version().stats.skipped.sum()};
            }
        }
        return new long[] {0, 0};
    }

    /**
     * The little of a started {@link Bundle} that the runtime's bundle tracker reads: its id, names,
     * raw headers and entries (served from the jar file, as the framework would); any other method
     * throws, so that a runtime reading more shows here at once.
     */
    private static Bundle bundle(long id, Path jar) throws IOException {
        Hashtable<String, String> headers = new Hashtable<>();
        Set<String> entries = new HashSet<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            file.getManifest().getMainAttributes().forEach((k, v) -> headers.put(k.toString(), v.toString()));
            file.stream().forEach(e -> entries.add(e.getName()));
        }
        return (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getBundleId" -> id;
                    case "getSymbolicName" -> headers.get(Constants.BUNDLE_SYMBOLICNAME);
                    case "getVersion" -> Version.parseVersion(headers.get(Constants.BUNDLE_VERSION));
                    case "getHeaders" -> headers;
                    case "getEntry" -> entries.contains((String) args[0]) ? entry(jar, (String) args[0]) : null;
                    case "findEntries" -> find(jar, entries, (String) args[0], (String) args[1], (Boolean) args[2]);
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "bundle " + id + " " + jar.getFileName();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static URL entry(Path jar, String path) throws IOException {
        return new URL("jar:" + jar.toUri() + "!/" + path);
    }

    /** {@link Bundle#findEntries}: the entries under {@code path} whose name matches the glob, or null for none. */
    private static Enumeration<URL> find(Path jar, Set<String> entries, String path, String glob, boolean recurse) throws IOException {
        String under = path.replaceAll("^/+", "").replaceAll("([^/])$", "$1/");
        Pattern name = Pattern.compile((glob == null ? "*" : glob).replace(".", "\\.").replace("*", ".*"));
        List<URL> found = new ArrayList<>();
        for (String e : entries) {
            String rest = e.startsWith(under) ? e.substring(under.length()) : null;
            String last = e.replaceAll("/$", "").replaceFirst("^.*/", "");
            if (rest != null && !rest.isEmpty() && (recurse || !rest.replaceAll("/$", "").contains("/"))
                    && name.matcher(last).matches()) {
                found.add(entry(jar, e));
            }
        }
        return found.isEmpty() ? null : Collections.enumeration(found);
    }

    @Override
    public void close() {
        catalog.close();
    }
}
