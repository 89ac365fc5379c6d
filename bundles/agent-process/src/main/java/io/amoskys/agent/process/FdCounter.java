package io.amoskys.agent.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Counts a process's open file descriptors ({@code /proc/PID/fd} entries) and how many of them
 * are sockets (links reading {@code socket:[inode]}). Other users' fd folders are unreadable
 * without privileges: then the count is unknown, never an error.
 */
final class FdCounter {
    /** Open descriptors and sockets; {@link #UNKNOWN} when the fd folder could not be read. */
    record FdCounts(int fds, int sockets) {
        static final FdCounts UNKNOWN = new FdCounts(-1, -1);

        boolean known() {
            return fds >= 0;
        }
    }

    private FdCounter() {}

    static FdCounts count(Path pidFolder) {
        int fds = 0;
        int sockets = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(pidFolder.resolve("fd"))) {
            for (Path fd : entries) {
                fds++;
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
                        sockets++;
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    // closed between listing and reading: still counted as open when listed
                }
            }
        } catch (IOException | RuntimeException e) {
            return FdCounts.UNKNOWN; // no permission, or the process exited
        }
        return new FdCounts(fds, sockets);
    }
}
