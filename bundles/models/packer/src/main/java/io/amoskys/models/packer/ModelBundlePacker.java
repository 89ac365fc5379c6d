package io.amoskys.models.packer;

import io.amoskys.model.format.ModelBundleLayout;
import io.amoskys.model.format.ModelBundleWriter;
import io.amoskys.model.format.ModelDescriptor;
import io.amoskys.model.format.ModelSignature;
import io.amoskys.model.format.ModelSigner;
import io.amoskys.model.format.SignatureVerdict;
import io.amoskys.schema.Ed25519Keys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.jar.JarInputStream;

/**
 * The build's side of the shipped models (bundles/models), run by exec-maven-plugin:
 *
 * <pre>
 * key  KEYFILE TRUSTDIR              makes KEYFILE (an Ed25519 pair, owner-only) unless it exists, and writes
 *                                    TRUSTDIR/KEYID.properties (publicKey=, name=, added=), the model trust file
 * pack KEYFILE MODELDIR NAME OUTJAR  packs MODELDIR/NAME.json and the ONNX file it names into the model bundle
 *                                    OUTJAR, signed with KEYFILE (io.amoskys.model.format.ModelBundleWriter)
 * </pre>
 *
 * The descriptor must be canonical ({@code ModelDescriptor.toJson()} gives its bytes back), since the
 * signature covers the bytes the bundle carries.
 */
public final class ModelBundlePacker {
    static final String KEY_NAME = "AMOSKYS build model key: signs the model bundles shipped with the distribution";

    private ModelBundlePacker() {}

    public static void main(String[] args) throws IOException {
        if (args.length == 3 && args[0].equals("key")) {
            key(Path.of(args[1]), Path.of(args[2]));
        } else if (args.length == 5 && args[0].equals("pack")) {
            pack(Path.of(args[1]), Path.of(args[2]), args[3], Path.of(args[4]));
        } else {
            throw new IllegalArgumentException("usage: key KEYFILE TRUSTDIR | pack KEYFILE MODELDIR NAME OUTJAR, not "
                    + Arrays.toString(args));
        }
    }

    /** Makes (or reads) the key and writes its trust file, the only one in {@code trustDir}. */
    static Path key(Path keyFile, Path trustDir) throws IOException {
        ModelSigner signer = ModelSignature.signer(Ed25519Keys.loadOrCreate(keyFile));
        Files.createDirectories(trustDir);
        try (DirectoryStream<Path> old = Files.newDirectoryStream(trustDir, "*.properties")) {
            for (Path file : old) {
                Files.delete(file); // a trust file of an earlier key (before a clean) must not ship
            }
        }
        Path trust = trustDir.resolve(signer.keyId() + ".properties");
        Files.writeString(trust, "# The public half of the key that signed the model bundles shipped with this distribution\n"
                + "# (bundles/models, docs/MODELS.md). Add a line revoked=<time> to withdraw them.\n"
                + "publicKey=" + Ed25519Keys.encodePublic(signer.publicKey()) + "\n"
                + "name=" + KEY_NAME + "\n"
                + "added=" + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n", StandardCharsets.UTF_8);
        System.out.println("[models] build model key " + signer.keyId() + " (" + keyFile.toAbsolutePath().normalize() + "), trust file " + trust);
        return trust;
    }

    /** Packs and signs one model; checks the result verifies with the key. */
    static Path pack(Path keyFile, Path modelDir, String name, Path out) throws IOException {
        KeyPair pair = Ed25519Keys.loadOrCreate(keyFile);
        ModelSigner signer = ModelSignature.signer(pair);
        Path descriptorFile = modelDir.resolve(name + ".json");
        byte[] descriptorBytes = Files.readAllBytes(descriptorFile);
        ModelDescriptor descriptor = ModelDescriptor.parse(descriptorBytes);
        if (!Arrays.equals(descriptorBytes, descriptor.toJson())) {
            throw new IllegalStateException(descriptorFile + " is not in canonical form (ModelDescriptor.toJson()): write it "
                    + "with the model's recipe test");
        }
        if (!descriptor.name().equals(name)) {
            throw new IllegalStateException(descriptorFile + " describes model " + descriptor.name() + ", not " + name);
        }
        byte[] onnx = Files.readAllBytes(modelDir.resolve(Path.of(descriptor.onnx()).getFileName()));
        byte[] bundle = ModelBundleWriter.toBytes(descriptor, onnx, signer);
        String sig = signatureIn(bundle, ModelBundleLayout.signaturePath(ModelBundleLayout.descriptorPath(name)));
        SignatureVerdict verdict = ModelSignature.verify(descriptorBytes, sig,
                id -> id.equals(signer.keyId()) ? signer.publicKey() : null);
        if (!verdict.accepted()) {
            throw new IllegalStateException("the packed model does not verify: " + verdict.detail());
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, bundle);
        System.out.printf("[models] %s %s: %s (%d bytes), signed by %s%n", name, descriptor.version(), out, bundle.length,
                signer.keyId());
        return out;
    }

    private static String signatureIn(byte[] bundle, String path) throws IOException {
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(bundle))) {
            for (var entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                if (entry.getName().equals(path)) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        return null;
    }
}
