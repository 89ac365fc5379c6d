package io.amoskys.responder.snmp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;

/**
 * What the responder found before it acted, per action id, kept on disk: {@code was-up} (this
 * action disabled the port, so its undo enables it) or {@code was-down} (the port was already
 * down: undo leaves it down). Written once, before any SET, so a retry after a crash never takes
 * the port it disabled itself for one that was down before.
 */
final class PortState {
    static final String WAS_UP = "was-up";
    static final String WAS_DOWN = "was-down";

    private final Path dir;

    PortState(Path dir) {
        this.dir = dir;
    }

    private Path file(String actionId) {
        // Action ids are the platform's; hex keeps any of them a safe file name.
        return dir.resolve(HexFormat.of().formatHex(actionId.getBytes(StandardCharsets.UTF_8)) + ".state");
    }

    /** The state noted for this action, or null. */
    String read(String actionId) throws IOException {
        try {
            return Files.readString(file(actionId), StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Notes the state unless one is noted already; returns the one that holds. */
    String note(String actionId, String state) throws IOException {
        Files.createDirectories(dir);
        Path file = file(actionId);
        Path tmp = Files.createTempFile(dir, "new-", ".tmp");
        try {
            Files.writeString(tmp, state, StandardCharsets.UTF_8, StandardOpenOption.SYNC);
            Files.createLink(file, tmp);
            return state;
        } catch (FileAlreadyExistsException e) {
            return read(actionId);
        } catch (UnsupportedOperationException e) {
            // No hard links: move, refusing to replace.
            try {
                Files.move(tmp, file);
                return state;
            } catch (FileAlreadyExistsException again) {
                return read(actionId);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    void forget(String actionId) throws IOException {
        Files.deleteIfExists(file(actionId));
    }
}
