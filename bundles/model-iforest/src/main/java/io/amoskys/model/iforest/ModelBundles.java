package io.amoskys.model.iforest;

import io.amoskys.model.format.ModelBundleWriter;
import io.amoskys.model.format.ModelDescriptor;
import io.amoskys.model.format.ModelSigner;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Signed model bundles written into a folder, Karaf's {@code deploy/} by default. */
final class ModelBundles {
    private ModelBundles() {}

    /** {@code ${karaf.base}/deploy}, which Karaf watches and hot-installs from. */
    static Path deployFolder() {
        String base = System.getProperty("karaf.base");
        if (base == null) {
            throw new IllegalStateException("karaf.base is not set: name the folder to write the model bundle to with --out");
        }
        return Path.of(base, "deploy");
    }

    /**
     * Writes {@code folder/NAME-VERSION.jar}, whole or not at all: it is written aside first and
     * moved in, so that the deploy folder's watcher never picks up half a jar.
     */
    static Path write(Path folder, ModelDescriptor descriptor, byte[] onnx, ModelSigner signer) throws IOException {
        Path target = folder.resolve(descriptor.name() + "-" + descriptor.version() + ".jar");
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target + " exists already: choose another --version");
        }
        byte[] bundle = ModelBundleWriter.toBytes(descriptor, onnx, signer);
        Files.createDirectories(folder);
        Path aside = Files.createTempFile("amoskys-model-", ".jar.part"); // java.io.tmpdir: data/tmp in Karaf
        try {
            Files.write(aside, bundle);
            try {
                Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(aside, target); // another file system: a copy, still never over an existing file
            }
        } finally {
            Files.deleteIfExists(aside);
        }
        return target;
    }
}
