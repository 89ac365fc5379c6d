package io.amoskys.rules.sigma;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.util.tracker.BundleTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extender: follows the started bundles whose manifest has {@value #HEADER} (folders or
 * files, comma-separated) and loads their Sigma files ({@code .yml}, {@code .yaml}); a folder
 * named {@code tests} holds regression cases, not rules, and is skipped. Rules load on the thread
 * that started the bundle, so when {@code bundle:install -s} returns they are in force or refused.
 */
final class RuleBundleTracker implements BundleTrackerCustomizer<Long> {
    static final String HEADER = "Amoskys-Rules";
    private static final Logger LOG = LoggerFactory.getLogger(RuleBundleTracker.class);

    private final SigmaEngine engine;

    RuleBundleTracker(SigmaEngine engine) {
        this.engine = engine;
    }

    @Override
    public Long addingBundle(Bundle bundle, BundleEvent event) {
        String header = bundle.getHeaders("").get(HEADER); // raw: no localization lookups
        if (header == null) {
            return null;
        }
        Map<String, String> texts = new LinkedHashMap<>();
        for (String path : header.split(",")) {
            for (URL entry : entries(bundle, path.trim())) {
                String name = entry.getPath();
                try (InputStream in = entry.openStream()) {
                    texts.put(sourceKey(bundle, name), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    LOG.error("Cannot read rule file {} of bundle {}: {}", name, bundle.getSymbolicName(), e.toString());
                }
            }
        }
        int files = texts.size();
        engine.load(texts, bundle.getBundleId()); // as one change: references between the files resolve in any order
        LOG.info("Rule bundle {} [{}]: {} rule files, {} rules in force now", bundle.getSymbolicName(), bundle.getBundleId(),
                files, engine.size());
        if (files == 0) {
            LOG.warn("Rule bundle {} names '{}' in {} but carries no .yml or .yaml file there", bundle.getSymbolicName(), header,
                    HEADER);
        }
        return bundle.getBundleId();
    }

    static String sourceKey(Bundle bundle, String path) {
        return "bundle " + bundle.getSymbolicName() + " [" + bundle.getBundleId() + "]: " + path.replaceFirst("^/", "");
    }

    private static List<URL> entries(Bundle bundle, String path) {
        List<URL> out = new ArrayList<>();
        if (path.isEmpty()) {
            return out;
        }
        if (path.endsWith(".yml") || path.endsWith(".yaml")) {
            URL url = bundle.getEntry(path);
            if (url != null) {
                out.add(url);
            }
            return out;
        }
        Enumeration<URL> found = bundle.findEntries(path, "*", true);
        if (found == null) {
            return out;
        }
        while (found.hasMoreElements()) {
            URL url = found.nextElement();
            String p = url.getPath();
            if ((p.endsWith(".yml") || p.endsWith(".yaml")) && !p.contains("/tests/")) {
                out.add(url);
            }
        }
        out.sort((a, b) -> a.getPath().compareTo(b.getPath()));
        return out;
    }

    @Override
    public void modifiedBundle(Bundle bundle, BundleEvent event, Long bundleId) {
        // Rules change by a restart of their bundle.
    }

    @Override
    public void removedBundle(Bundle bundle, BundleEvent event, Long bundleId) {
        engine.unloadBundle(bundleId);
        LOG.info("Rule bundle {} [{}] stopped: {} rules in force now", bundle.getSymbolicName(), bundleId, engine.size());
    }
}
