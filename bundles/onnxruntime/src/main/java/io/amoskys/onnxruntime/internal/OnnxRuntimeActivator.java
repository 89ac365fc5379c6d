package io.amoskys.onnxruntime.internal;

import ai.onnxruntime.OrtEnvironment;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Loads ONNX Runtime's native library from this bundle's data area and registers the shared
 * {@link OrtEnvironment}. Users reference that service rather than calling
 * {@code OrtEnvironment.getEnvironment()} first, so the library is loaded from where this
 * activator put it, never unpacked by ONNX Runtime into {@code java.io.tmpdir}.
 */
public final class OnnxRuntimeActivator implements BundleActivator {
    // ONNX Runtime logs through java.util.logging; so does this, to stay free of imports.
    private static final Logger LOG = Logger.getLogger(OnnxRuntimeActivator.class.getName());
    static final String NATIVE_PATH_PROPERTY = "onnxruntime.native.path";
    /** The folder this bundle last loaded the libraries from, in this JVM. */
    static final String LOADED_PROPERTY = "io.amoskys.onnxruntime.loaded";

    private ServiceRegistration<OrtEnvironment> registration;

    @Override
    public void start(BundleContext context) {
        try {
            String path = System.getProperty(NATIVE_PATH_PROPERTY);
            String ours = System.getProperty(LOADED_PROPERTY);
            if (path == null || path.equals(ours)) { // else an operator's own path, left alone
                // Loaded before in this JVM (the bundle was updated or refreshed): a JVM loads a
                // library file into one class loader only, so this class loader gets a new copy.
                Path dir = new NativeLibraries(context.getBundle())
                        .unpack(context.getDataFile("native").toPath(), ours != null);
                System.setProperty(NATIVE_PATH_PROPERTY, dir.toString());
                System.setProperty(LOADED_PROPERTY, dir.toString());
            }
            OrtEnvironment environment = TempFolders.cleaningUp(OrtEnvironment::getEnvironment);
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put("onnxruntime.version", environment.getVersion());
            registration = context.registerService(OrtEnvironment.class, environment, properties);
            LOG.info(() -> "ONNX Runtime " + environment.getVersion() + " loaded from "
                    + System.getProperty(NATIVE_PATH_PROPERTY));
        } catch (Exception | LinkageError e) {
            // The rest of the platform runs without models: the model runtime waits for the service.
            LOG.log(Level.SEVERE, "ONNX Runtime cannot load its native library on " + System.getProperty("os.name")
                    + "/" + System.getProperty("os.arch") + " (this bundle carries linux-x64 only); "
                    + "models will not be scored", e);
        }
    }

    @Override
    public void stop(BundleContext context) {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        // The environment is not closed: a native library is never unloaded from a JVM anyway.
    }
}
