package io.amoskys.onnxruntime.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;

/**
 * Unpacks the bundle's native libraries into a folder of its own data area, one folder per
 * bundle revision, kept across restarts. A JVM refuses to load one library file into a second
 * class loader, which is what a bundle update or refresh makes: then the libraries are copied
 * afresh into a folder of their own. Other folders are removed (a loaded library stays mapped
 * after its file is deleted).
 */
final class NativeLibraries {
    static final String ENTRY_FOLDER = "ai/onnxruntime/native/linux-x64/";
    /** In load order: the JNI library needs ONNX Runtime's own already loaded. */
    static final List<String> LIBRARIES = List.of("libonnxruntime.so", "libonnxruntime4j_jni.so");

    private final Bundle bundle;

    NativeLibraries(Bundle bundle) {
        this.bundle = bundle;
    }

    /**
     * @param loadedBefore whether an earlier class loader of this bundle loaded them in this JVM
     * @return the folder holding the libraries, ready for {@code onnxruntime.native.path}
     */
    Path unpack(Path dataFolder, boolean loadedBefore) throws IOException {
        Path dir = dataFolder.resolve("revision-" + bundle.getLastModified()
                + (loadedBefore ? "-reload-" + System.nanoTime() : ""));
        Files.createDirectories(dir);
        for (String library : LIBRARIES) {
            URL entry = bundle.getEntry(ENTRY_FOLDER + library);
            if (entry == null) {
                throw new IOException("this bundle has no " + ENTRY_FOLDER + library);
            }
            copyUnlessPresent(entry, dir.resolve(library));
        }
        removeOtherRevisions(dataFolder, dir);
        return dir;
    }

    private static void copyUnlessPresent(URL entry, Path target) throws IOException {
        URLConnection connection = entry.openConnection();
        long size = connection.getContentLengthLong();
        if (Files.exists(target) && Files.size(target) == size) {
            connection.getInputStream().close();
            return; // written whole before (files appear only by an atomic rename)
        }
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try (InputStream in = connection.getInputStream()) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void removeOtherRevisions(Path dataFolder, Path keep) throws IOException {
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(dataFolder, "revision-*")) {
            for (Path folder : folders) {
                if (!folder.equals(keep)) {
                    deleteTree(folder);
                }
            }
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
