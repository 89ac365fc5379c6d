package io.amoskys.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirstStartCredentialsTest {
    @TempDir
    Path etc;

    @Test
    void aRandomPasswordIsShownOnceAndOnlyItsDigestIsStored() throws Exception {
        Path users = etc.resolve("users.properties");
        Files.writeString(users, "_g_\\:admingroup = group,admin\n");
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        FirstStartCredentials.ensureAdmin(users, null, new PrintStream(console, true, StandardCharsets.UTF_8), null);

        Matcher shown = Pattern.compile("'admin' is  (\\S+)").matcher(console.toString(StandardCharsets.UTF_8));
        assertTrue(shown.find(), "the password is shown");
        String password = shown.group(1);
        String stored = Files.readString(users);
        assertFalse(stored.contains(password), "the password itself is never written");
        assertTrue(stored.contains("admin = {CRYPT}" + FirstStartCredentials.sha512(password) + "{CRYPT},_g_:admingroup"));

        console.reset();
        FirstStartCredentials.ensureAdmin(users, null, new PrintStream(console, true, StandardCharsets.UTF_8), null);
        assertEquals(0, console.size(), "second start: nothing shown, nothing changed");
        assertEquals(stored, Files.readString(users));
    }

    @Test
    void withoutAConsoleTheGeneratedPasswordWaitsInAFileOnlyItsOwnerCanRead() throws Exception {
        Path users = etc.resolve("users.properties");
        Path waiting = etc.resolve("amoskys/initial-admin-password");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        FirstStartCredentials.ensureAdmin(users, null, new PrintStream(console, true, StandardCharsets.UTF_8), waiting);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(waiting)));
        String password = Files.readString(waiting).strip();
        assertTrue(Files.readString(users).contains(FirstStartCredentials.sha512(password)));
        String shown = console.toString(StandardCharsets.UTF_8);
        assertFalse(shown.contains(password), "standard output without a console may end in a log others read: " + shown);
        assertTrue(shown.contains("the password of user 'admin' is in " + waiting), shown);
    }

    @Test
    void theDigestsAreReadableByTheirOwnerOnly() throws Exception {
        Path users = etc.resolve("users.properties");
        Files.writeString(users, "_g_\\:admingroup = group,admin\n");
        Files.setPosixFilePermissions(users, PosixFilePermissions.fromString("rw-r--r--")); // as the distribution ships it
        FirstStartCredentials.ownerOnly(users);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(users)));
        FirstStartCredentials.ownerOnly(etc.resolve("missing.properties")); // nothing to do, no failure
    }

    @Test
    void aPasswordSetByTheOperatorIsNeitherShownNorWritten() throws Exception {
        Path users = etc.resolve("users.properties");
        Path waiting = etc.resolve("amoskys/initial-admin-password");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        FirstStartCredentials.ensureAdmin(users, "chosen-by-the-operator", new PrintStream(console, true, StandardCharsets.UTF_8), waiting);
        assertEquals(0, console.size());
        assertFalse(Files.exists(waiting));
        assertTrue(Files.readString(users).contains(FirstStartCredentials.sha512("chosen-by-the-operator")));
    }

    @Test
    void theOperatorKeyIsPrivateToItsOwnerAndRegisteredForAdmin() throws Exception {
        Path key = etc.resolve("amoskys/operator.key");
        Path keys = etc.resolve("keys.properties");
        FirstStartCredentials.ensureOperatorKey(key, keys);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertTrue(Files.readString(keys).matches("(?s)admin = AAAAB3NzaC1yc2E[A-Za-z0-9+/=]+,_g_:admingroup\\s*"));
    }
}
