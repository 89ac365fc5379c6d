package io.amoskys.credentials;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At first start, and only then:
 * <ul>
 *   <li>the {@code admin} user is created in {@code etc/users.properties} with the password from
 *       the environment variable {@value #PASSWORD_VARIABLE}, or a random one printed once to the
 *       console (without a console, left in a file only the owner can read). Only its SHA-512
 *       digest is stored (Karaf's JAAS encryption), in a file only the owner can read.
 *   <li>the local operator's SSH key is created: the private key in
 *       {@code etc/amoskys/operator.key}, readable by its owner alone, its public half registered
 *       for {@code admin} in {@code etc/keys.properties}. {@code bin/client} uses it, so the person
 *       who owns the installation runs shell commands without typing a password.
 * </ul>
 */
@Component(immediate = true)
public class FirstStartCredentials {
    static final String PASSWORD_VARIABLE = "AMOSKYS_ADMIN_PASSWORD";
    static final String ADMIN = "admin";
    static final String INITIAL_PASSWORD_FILE = "initial-admin-password";
    private static final String GROUP = "_g_:admingroup";
    private static final Logger LOG = LoggerFactory.getLogger(FirstStartCredentials.class);

    @Activate
    public FirstStartCredentials() throws IOException, GeneralSecurityException {
        Path etc = Path.of(System.getProperty("karaf.etc", "etc"));
        // Started in the background (bin/start), the console goes nowhere: the password then
        // waits in a file only the installation's owner can read, as the log says.
        Path passwordFile = System.console() == null ? etc.resolve("amoskys").resolve(INITIAL_PASSWORD_FILE) : null;
        ensureAdmin(etc.resolve("users.properties"), System.getenv(PASSWORD_VARIABLE), System.out, passwordFile);
        ensureOperatorKey(etc.resolve("amoskys").resolve("operator.key"), etc.resolve("keys.properties"));
        // The digests in users.properties are unsalted (Karaf's JAAS): no other local user may read them.
        ownerOnly(etc.resolve("users.properties"));
        ownerOnly(etc.resolve("keys.properties"));
    }

    /**
     * @param passwordFile where to leave a generated password for an owner who saw no console
     *     (mode 0600, to be read and deleted), or null when the console is seen
     */
    static void ensureAdmin(Path usersFile, String presetPassword, PrintStream console, Path passwordFile)
            throws IOException, GeneralSecurityException {
        if (hasUser(usersFile)) {
            return;
        }
        boolean preset = presetPassword != null && !presetPassword.isEmpty();
        String password = preset ? presetPassword : randomPassword();
        appendLine(usersFile, ADMIN + " = {CRYPT}" + sha512(password) + "{CRYPT}," + GROUP);
        LOG.info("Created the admin user at first start ({})", preset ? "password from " + PASSWORD_VARIABLE : "random password");
        if (preset) {
            return;
        }
        console.println();
        if (passwordFile != null) {
            // No terminal: standard output may end in a journal or a container's log, which others read.
            writePrivate(passwordFile, password + "\n");
            LOG.warn("No console: the generated admin password is in {} (readable by its owner only); "
                    + "read it, then delete the file", passwordFile);
            console.println("  AMOSKYS first start: the password of user 'admin' is in " + passwordFile);
            console.println("  (readable by its owner only: read it, then delete the file).");
        } else {
            console.println("  AMOSKYS first start: the password of user 'admin' is  " + password);
            console.println("  It is shown this once.");
        }
        console.println("  It is stored only as a digest. Local shell access (bin/client) needs no");
        console.println("  password; change it there with jaas:* commands.");
        console.println();
    }

    /** Makes the file readable and writable by its owner only, if it exists. */
    static void ownerOnly(Path file) throws IOException {
        if (Files.exists(file)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    static void ensureOperatorKey(Path keyFile, Path keysFile) throws IOException, GeneralSecurityException {
        if (Files.exists(keyFile)) {
            return;
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(3072, new SecureRandom());
        KeyPair pair = generator.generateKeyPair();
        Files.createDirectories(keyFile.getParent());
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Path tmp = keyFile.resolveSibling(keyFile.getFileName() + ".tmp");
        writePrivate(tmp, pem);
        // keys.properties first: a key file on disk always has its public half registered.
        appendLine(keysFile, ADMIN + " = " + SshPublicKey.base64((RSAPublicKey) pair.getPublic()) + "," + GROUP);
        Files.move(tmp, keyFile);
        LOG.info("Created the local operator key {} for bin/client", keyFile);
    }

    /** Creates the file readable and writable by its owner only, before anything is written to it. */
    private static void writePrivate(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content, StandardCharsets.US_ASCII);
    }

    private static boolean hasUser(Path usersFile) throws IOException {
        if (!Files.exists(usersFile)) {
            return false;
        }
        Properties users = new Properties();
        try (Reader reader = Files.newBufferedReader(usersFile, StandardCharsets.ISO_8859_1)) {
            users.load(reader);
        }
        return users.stringPropertyNames().stream().anyMatch(name -> !name.startsWith("_g_:"));
    }

    private static void appendLine(Path file, String line) throws IOException {
        List<String> lines = Files.exists(file) ? new ArrayList<>(Files.readAllLines(file, StandardCharsets.ISO_8859_1)) : new ArrayList<>();
        lines.removeIf(l -> l.startsWith(ADMIN + " ") || l.startsWith(ADMIN + "="));
        lines.add(line);
        Files.write(file, lines, StandardCharsets.ISO_8859_1, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    static String sha512(String password) throws GeneralSecurityException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(password.getBytes(StandardCharsets.UTF_8)));
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
