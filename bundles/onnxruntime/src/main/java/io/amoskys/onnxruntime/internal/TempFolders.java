package io.amoskys.onnxruntime.internal;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * ONNX Runtime 1.23 makes a folder {@code onnxruntime-java*} in {@code java.io.tmpdir} at every
 * load, even when it unpacks nothing there, and only marks it for deletion at JVM exit: a
 * platform killed or running for months would collect them. This removes the one the load made
 * once it is done, if it is empty (never a folder that was there before).
 */
final class TempFolders {
    private static final String PREFIX = "onnxruntime-java*";

    private TempFolders() {}

    static <T> T cleaningUp(Callable<T> load) throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Set<Path> before = list(tmp);
        T loaded = load.call();
        for (Path folder : list(tmp)) {
            if (!before.contains(folder)) {
                try {
                    Files.deleteIfExists(folder);
                } catch (DirectoryNotEmptyException e) {
                    // Not ours to empty: left as it is.
                }
            }
        }
        return loaded;
    }

    private static Set<Path> list(Path tmp) throws IOException {
        Set<Path> folders = new HashSet<>();
        if (Files.isDirectory(tmp)) {
            try (DirectoryStream<Path> found = Files.newDirectoryStream(tmp, PREFIX)) {
                found.forEach(folders::add);
            }
        }
        return folders;
    }
}
