package io.amoskys.agent.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;

/**
 * User names by uid from a passwd file, read again only when its modification time changes.
 * Users known only to NSS (LDAP, sssd) have no name here; their uid label still says who they are.
 */
final class UserNames {
    private final Path passwd;
    private FileTime loadedAt;
    private Map<Integer, String> names = Map.of();

    UserNames(Path passwd) {
        this.passwd = passwd;
    }

    /** Re-reads the file if it changed since the last read; cheap (one stat) otherwise. */
    synchronized void refresh() {
        try {
            FileTime mtime = Files.getLastModifiedTime(passwd);
            if (mtime.equals(loadedAt)) {
                return;
            }
            // Lenient: a GECOS field in Latin-1, common on older systems, must not cost every name.
            names = parse(new String(Files.readAllBytes(passwd), StandardCharsets.UTF_8));
            loadedAt = mtime;
        } catch (IOException | RuntimeException e) {
            names = Map.of();
            loadedAt = null;
        }
    }

    synchronized String name(int uid) {
        return names.get(uid);
    }

    static Map<Integer, String> parse(String passwd) {
        Map<Integer, String> result = new HashMap<>();
        for (String line : passwd.split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length < 3 || f[0].isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                result.putIfAbsent(Integer.parseInt(f[2].strip()), f[0]);
            } catch (NumberFormatException e) {
                // a malformed line names nobody
            }
        }
        return result;
    }
}
