package io.amoskys.onnxruntime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The bundle as built, started in a real OSGi framework (Felix, as in Karaf): ONNX Runtime
 * loads from the bundle's data area, the environment is a service, nothing is left in tmpdir.
 * ONNX Runtime is not on the test's class path (see the pom), only in the bundle.
 */
class OnnxRuntimeBundleTest {
    private final Path bundleFolder = Path.of(System.getProperty("amoskys.test.bundle"));
    private final Path felixFolder = Path.of(System.getProperty("amoskys.test.felix"));
    private final Path tmp = Path.of(System.getProperty("java.io.tmpdir"));

    @Test
    void carriesOnlyTheLinuxX64NativeLibraries() throws IOException {
        try (Stream<Path> platforms = Files.list(bundleFolder.resolve("ai/onnxruntime/native"))) {
            assertEquals(List.of("linux-x64"), platforms.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void loadsTheEnvironmentInsideOsgiFromTheDataArea() throws Exception {
        Files.createDirectories(tmp);
        Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow().newFramework(Map.of(
                Constants.FRAMEWORK_STORAGE, felixFolder.toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        framework.start();
        try {
            BundleContext context = framework.getBundleContext();
            Bundle bundle = context.installBundle("reference:" + bundleFolder.toUri());
            assertTrue(((String) bundle.getHeaders().get(Constants.EXPORT_PACKAGE))
                    .contains("ai.onnxruntime;version=\"1.23.2\""));
            bundle.start();

            // All references: the framework's own context does not import ai.onnxruntime.
            ServiceReference<?>[] references = context.getAllServiceReferences("ai.onnxruntime.OrtEnvironment", null);
            assertNotNull(references, "the activator registers the shared OrtEnvironment");
            ServiceReference<?> reference = references[0];
            assertEquals("1.23.2", reference.getProperty("onnxruntime.version"));
            Object environment = context.getService(reference);
            Method version = environment.getClass().getMethod("getVersion");
            assertEquals("1.23.2", version.invoke(environment));

            Path revision = Path.of(System.getProperty(OnnxRuntimeActivator.NATIVE_PATH_PROPERTY));
            assertTrue(revision.startsWith(felixFolder), revision + " lies in the framework's storage");
            assertTrue(Files.size(revision.resolve("libonnxruntime.so")) > 1_000_000);
            try (Stream<Path> left = Files.list(tmp)) {
                assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith("onnxruntime"))
                        .toList(), "ONNX Runtime left nothing in java.io.tmpdir");
            }

            // An update makes a new class loader, which must load the library from a file of its own.
            bundle.update();
            CountDownLatch refreshed = new CountDownLatch(1);
            framework.adapt(FrameworkWiring.class).refreshBundles(List.of(bundle), event -> refreshed.countDown());
            assertTrue(refreshed.await(30, TimeUnit.SECONDS));
            ServiceReference<?>[] again = context.getAllServiceReferences("ai.onnxruntime.OrtEnvironment", null);
            assertNotNull(again, "the environment is back after the update");
            Object reloaded = context.getService(again[0]);
            assertTrue(reloaded.getClass().getClassLoader() != environment.getClass().getClassLoader());
            assertEquals("1.23.2", reloaded.getClass().getMethod("getVersion").invoke(reloaded));
            Path copy = Path.of(System.getProperty(OnnxRuntimeActivator.NATIVE_PATH_PROPERTY));
            assertTrue(!copy.equals(revision) && Files.exists(copy.resolve("libonnxruntime4j_jni.so")), copy.toString());
        } finally {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }
}
