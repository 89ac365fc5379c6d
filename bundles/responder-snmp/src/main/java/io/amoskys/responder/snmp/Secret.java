package io.amoskys.responder.snmp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where one secret of the configuration is: a file ({@code fileKey}, the better place) or the value
 * itself under a key starting with a dot ({@code inlineKey}), which DS keeps out of the service
 * registry. Problems name the key and the file, never the value.
 *
 * @param what the secret in words, for problems ("community", "pass phrase")
 */
record Secret(String fileKey, String inlineKey, String what) {
    /** Larger files are some other file, named by mistake. */
    static final int MAX_BYTES = 256;

    static boolean given(String file, String inline) {
        return !blank(file) || !blank(inline);
    }

    /**
     * The secret, surrounding whitespace removed; null when it is not given (no problem noted:
     * the caller knows whether it is needed) or not usable (a problem noted, after {@code prefix}).
     */
    String read(String prefix, String file, String inline, List<String> problems) {
        if (!blank(file) && !blank(inline)) {
            problems.add(prefix + "both " + fileKey + " and " + inlineKey + " are set: keep one");
            return null;
        }
        if (blank(file)) {
            return blank(inline) ? null : inline.strip();
        }
        Path path = Path.of(file.strip());
        if (!path.isAbsolute()) {
            // Likely the secret itself under the file key: problems are shown, logged and receipted.
            problems.add(prefix + fileKey + " is not an absolute file path (its value is not shown: it may be the " + what
                    + " itself; put that under " + inlineKey + ")");
            return null;
        }
        try {
            if (Files.size(path) > MAX_BYTES) {
                problems.add(prefix + fileKey + " " + path + " is larger than " + MAX_BYTES + " bytes: not a " + what);
                return null;
            }
            String value = Files.readString(path, StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                problems.add(prefix + fileKey + " " + path + " is empty");
                return null;
            }
            return value;
        } catch (IOException | RuntimeException e) {
            // The exception names the file and the cause (no such file, denied), never its content.
            problems.add(prefix + fileKey + " " + path + " cannot be read: " + e);
            return null;
        }
    }

    /** Where the value came from, as problems about it name it. */
    String source(String file) {
        return blank(file) ? inlineKey : fileKey + " " + file.strip();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
