package io.amoskys.model.iforest;

import io.amoskys.model.format.ModelBundleLayout;
import io.amoskys.model.format.ModelDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The version a newly trained model gets when the operator names none: the next patch above the
 * highest version of that name installed or waiting in the deploy folder, or 1.0.0 for the first.
 * A higher version is what the runtime starts in shadow beside the active one.
 */
final class ModelVersions {
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final Comparator<int[]> ORDER = Comparator.<int[]>comparingInt(v -> v[0]).thenComparingInt(v -> v[1])
            .thenComparingInt(v -> v[2]);

    private ModelVersions() {}

    static String nextPatch(Collection<String> versions) {
        return versions.stream().map(ModelVersions::parse).max(ORDER)
                .map(v -> v[0] + "." + v[1] + "." + (v[2] + 1)).orElse("1.0.0");
    }

    /** Versions of the model {@code name} in the descriptors of installed bundles. */
    static List<String> installed(BundleContext context, String name) {
        List<String> versions = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            for (String path : ModelBundleLayout.descriptorPaths(bundle.getHeaders("").get(ModelBundleLayout.MODELS_HEADER))) {
                URL entry = bundle.getEntry(path);
                if (entry == null) {
                    continue;
                }
                try (InputStream in = entry.openStream()) {
                    ModelDescriptor descriptor = ModelDescriptor.parse(in.readAllBytes());
                    if (descriptor.name().equals(name)) {
                        versions.add(descriptor.version());
                    }
                } catch (IOException | IllegalArgumentException e) {
                    // a broken model bundle has no say in the next version; the runtime reports it
                }
            }
        }
        return versions;
    }

    /** Versions of {@code NAME-X.Y.Z.jar} files in the folder (written, perhaps not installed yet). */
    static List<String> inFolder(Path folder, String name) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        Pattern file = Pattern.compile(Pattern.quote(name) + "-(\\d+\\.\\d+\\.\\d+)\\.jar");
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> file.matcher(p.getFileName().toString())).filter(Matcher::matches).map(m -> m.group(1)).toList();
        }
    }

    private static int[] parse(String version) {
        Matcher m = VERSION.matcher(version);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a MAJOR.MINOR.PATCH version: " + version);
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
    }
}
