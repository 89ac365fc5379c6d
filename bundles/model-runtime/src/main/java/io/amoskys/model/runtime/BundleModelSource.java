package io.amoskys.model.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import org.osgi.framework.Bundle;

/** A model bundle's files, read from the bundle itself (no class loading, no unpacking). */
final class BundleModelSource implements ModelSource {
    private final Bundle bundle;

    BundleModelSource(Bundle bundle) {
        this.bundle = bundle;
    }

    @Override
    public byte[] read(String path, int maxBytes) throws IOException {
        URL entry = bundle.getEntry(path);
        if (entry == null) {
            return null;
        }
        try (InputStream in = entry.openStream()) {
            return ModelSource.readAtMost(in, path, maxBytes);
        }
    }

    @Override
    public String code() {
        for (String header : new String[] {"Bundle-Activator", "Service-Component", "Bundle-ClassPath", "Fragment-Host"}) {
            if (bundle.getHeaders("").get(header) != null) {
                return "the header " + header;
            }
        }
        Enumeration<URL> classes = bundle.findEntries("/", "*.class", true);
        return classes != null && classes.hasMoreElements() ? "class files (" + classes.nextElement().getPath() + ")" : null;
    }

    @Override
    public String describe() {
        return "bundle " + bundle.getBundleId() + " " + bundle.getSymbolicName() + " " + bundle.getVersion();
    }

    @Override
    public long bundleId() {
        return bundle.getBundleId();
    }
}
