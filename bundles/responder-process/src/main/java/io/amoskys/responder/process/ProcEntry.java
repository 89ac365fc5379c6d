package io.amoskys.responder.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What /proc says about one pid right now: its state and start time ({@code /proc/PID/stat},
 * fields 3 and 22) and, on demand, its executable's path and SHA-256 (read through
 * {@code /proc/PID/exe}, so a deleted or replaced file hashes as the process runs it).
 */
record ProcEntry(int pid, char state, long startTicks) {
    static final Path PROC = Path.of("/proc");
    /** Larger executables are not hashed: reading them would hold a worker too long. */
    static final long MAX_EXECUTABLE_BYTES = 512L * 1024 * 1024;
    /** strerror(ESRCH) in the C locale, which the JDK puts in the IOException of a failed read. */
    private static final String NO_SUCH_PROCESS = "No such process";

    /** @return empty when no process has this pid */
    static Optional<ProcEntry> read(int pid) throws IOException {
        Path folder = PROC.resolve(Integer.toString(pid));
        try (InputStream stat = Files.newInputStream(folder.resolve("stat"))) {
            return read(folder, stat);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Reads an opened {@code /proc/PID/stat}. A process reaped after the file was opened fails the
     * read with ESRCH, a plain IOException saying "No such process" in the system's language, and its
     * folder goes with it: either way that process is gone too. The name is the kernel's bytes, not
     * always UTF-8, so it is decoded leniently.
     */
    static Optional<ProcEntry> read(Path folder, InputStream stat) throws IOException {
        try {
            return Optional.of(parse(new String(stat.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            if (NO_SUCH_PROCESS.equals(e.getMessage()) || Files.notExists(folder)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Parses one {@code /proc/PID/stat} line (proc(5)). The name sits in parentheses and may itself
     * hold spaces and parentheses, so fields are counted from the last ')'.
     */
    static ProcEntry parse(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open || close + 2 > stat.length()) {
            throw new IllegalArgumentException("not a /proc/PID/stat line: " + stat);
        }
        int pid = Integer.parseInt(stat.substring(0, open).strip());
        String[] f = stat.substring(close + 2).strip().split(" ");
        // f[0] is field 3 (state); field n is f[n - 3].
        return new ProcEntry(pid, f[0].charAt(0), Long.parseLong(f[19]));
    }

    /** Stopped by a signal (T) or by a debugger (t). */
    boolean stopped() {
        return state == 'T' || state == 't';
    }

    /** Exited: a zombie (Z) or dead (X) waits only for its parent to reap it. */
    boolean exited() {
        return state == 'Z' || state == 'X';
    }

    /** The executable's path as the kernel names it (" (deleted)" appended when the file was removed). */
    String executable() throws IOException {
        return Files.readSymbolicLink(PROC.resolve(Integer.toString(pid)).resolve("exe")).toString();
    }

    String executableSha256() throws IOException {
        Path exe = PROC.resolve(Integer.toString(pid)).resolve("exe");
        long size = Files.size(exe);
        if (size > MAX_EXECUTABLE_BYTES) {
            throw new IOException("the executable has " + size + " bytes, more than the " + MAX_EXECUTABLE_BYTES + " hashed");
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(exe)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The process this pid's task belongs to ({@code Tgid} in {@code /proc/PID/status}): the pid
     * itself for a process, another for a thread, whose {@code /proc/TID} reads like a process
     * although no listing shows it, and to which kill(2) sends the whole process's signal.
     */
    int threadGroup() throws IOException {
        List<String> status;
        try {
            status = Files.readAllLines(PROC.resolve(Integer.toString(pid)).resolve("status"), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("process " + pid + " does not exist (any more)", e);
        }
        for (String line : status) {
            if (line.startsWith("Tgid:")) {
                return Integer.parseInt(line.substring("Tgid:".length()).strip());
            }
        }
        throw new IOException("/proc/" + pid + "/status has no Tgid line");
    }

    /** When the process started, in epoch milliseconds: the boot time ({@code btime}) plus its start ticks (USER_HZ 100). */
    long startedEpochMillis() throws IOException {
        for (String line : Files.readAllLines(PROC.resolve("stat"), StandardCharsets.ISO_8859_1)) {
            if (line.startsWith("btime ")) {
                return Long.parseLong(line.substring("btime ".length()).strip()) * 1000 + startTicks * 10;
            }
        }
        throw new IOException("/proc/stat has no btime line");
    }

    /** The executable's path without the kernel's " (deleted)" mark, for matching against globs. */
    static String withoutDeletedMark(String executable) {
        return executable.endsWith(" (deleted)") ? executable.substring(0, executable.length() - " (deleted)".length()) : executable;
    }
}
