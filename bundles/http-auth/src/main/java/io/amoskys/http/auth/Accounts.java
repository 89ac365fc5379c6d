package io.amoskys.http.auth;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users' accounts as Karaf's properties realm keeps them ({@code etc/users.properties}): per
 * user, a fingerprint of its line (password digest, roles, groups) and of the lines of its groups.
 * What a login opened (a browser session, a live stream) remembers the fingerprint and ends when it
 * changes, so that a user deleted, demoted or given a new password loses it at its next use rather
 * than hours later. The file is read again when its modification time or size changes (or it was
 * read within 2 s of its last change). A user the
 * file does not hold at login (another realm, such as LDAP) is not checked. Thread-safe.
 */
final class Accounts {
    /** No file: nothing is checked (tests, and a platform without the properties realm). */
    static final Accounts UNCHECKED = new Accounts(null);
    /** What a login remembers when its user is not checked. */
    static final String NOT_CHECKED = "";
    private static final String GROUP_PREFIX = "_g_:";
    private static final Logger LOG = LoggerFactory.getLogger(Accounts.class);

    private final Path usersFile;
    private FileTime readModified;
    private long readSize = -1;
    private long readAtMillis;
    private Properties entries = new Properties();
    private final Map<String, String> fingerprints = new HashMap<>();

    Accounts(Path usersFile) {
        this.usersFile = usersFile;
    }

    /** What a login of {@code user} remembers: its account's fingerprint, or {@link #NOT_CHECKED}. */
    synchronized String atLogin(String user) {
        String now = fingerprint(user);
        return now == null ? NOT_CHECKED : now;
    }

    /** Whether the account is as it was when {@code remembered} was taken by {@link #atLogin}. */
    synchronized boolean unchanged(String user, String remembered) {
        return remembered == null || remembered.equals(NOT_CHECKED) || remembered.equals(fingerprint(user));
    }

    /** The account's fingerprint now; null when the file holds no such user (or there is no file). */
    private String fingerprint(String user) {
        if (usersFile == null || !refresh()) {
            return null;
        }
        return fingerprints.computeIfAbsent(user, this::digest);
    }

    private String digest(String user) {
        String line = entries.getProperty(user);
        if (line == null || user.startsWith(GROUP_PREFIX)) {
            return null;
        }
        StringBuilder account = new StringBuilder(line);
        for (String part : line.split(",")) {
            String group = part.strip();
            if (group.startsWith(GROUP_PREFIX)) {
                account.append('\n').append(group).append('=').append(entries.getProperty(group, ""));
            }
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(account.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /**
     * Reads the file again if it changed; false when there is none. Karaf rewrites the file in
     * place (truncated, then written), so a read is kept only if the file did not change while it
     * was read and is not empty; otherwise, and when the file cannot be read or parsed, what was
     * read last stays (and a broken file is not read again, nor warned about, until it changes).
     */
    private boolean refresh() {
        try {
            for (int attempt = 0; attempt < 3; attempt++) {
                BasicFileAttributes before = Files.readAttributes(usersFile, BasicFileAttributes.class);
                if (isRead(before)) {
                    return true;
                }
                if (before.size() == 0) {
                    return readSize >= 0; // between the truncation and the write
                }
                Properties read = new Properties();
                try (Reader reader = Files.newBufferedReader(usersFile, StandardCharsets.ISO_8859_1)) {
                    read.load(reader);
                }
                BasicFileAttributes after = Files.readAttributes(usersFile, BasicFileAttributes.class);
                if (after.lastModifiedTime().equals(before.lastModifiedTime()) && after.size() == before.size()) {
                    entries = read;
                    fingerprints.clear();
                    remember(before);
                    return true;
                }
            }
            return readSize >= 0; // written again and again while read: the next check reads it
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException | IllegalArgumentException e) {
            try {
                BasicFileAttributes broken = Files.readAttributes(usersFile, BasicFileAttributes.class);
                if (!isRead(broken)) {
                    LOG.warn("Cannot read {} to check that logged-in accounts are unchanged: {}", usersFile, e.toString());
                    remember(broken);
                }
            } catch (IOException gone) {
                // checked again at the next call
            }
            return readSize >= 0;
        }
    }

    /**
     * Whether the file is as read last. A change within the file system's timestamp granularity
     * can keep both time and size (a new password's digest is as long), so a file read within 2 s
     * of its change is read again; a modification time in the future is taken as it is.
     */
    private boolean isRead(BasicFileAttributes now) {
        long sinceChange = readAtMillis - now.lastModifiedTime().toMillis();
        return now.lastModifiedTime().equals(readModified) && now.size() == readSize && (sinceChange >= 2000 || sinceChange < 0);
    }

    private void remember(BasicFileAttributes read) {
        readModified = read.lastModifiedTime();
        readSize = read.size();
        readAtMillis = System.currentTimeMillis();
    }
}
