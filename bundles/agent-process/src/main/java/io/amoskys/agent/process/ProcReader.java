package io.amoskys.agent.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads processes from a Linux /proc folder: {@code /proc/PID/stat} for the numbers, the owner
 * of {@code /proc/PID} for the user. One read per process, no shell-outs.
 */
final class ProcReader {
    /** USER_HZ: the unit of the CPU times in /proc/PID/stat; 100 on every Linux ABI we run on. */
    static final int TICKS_PER_SECOND = 100;
    private static final long PAGE_SIZE = 4096;
    /** strerror(ESRCH) in the C locale, which the JDK puts in the IOException of a failed read. */
    private static final String NO_SUCH_PROCESS = "No such process";

    private final Path proc;
    /** /proc entries that could not be read or parsed (a process exiting mid-read is not one). */
    private volatile long unreadable; // written by the scanning thread only, read by metrics scrapes
    private volatile String lastProblem;

    ProcReader(Path proc) {
        this.proc = proc;
    }

    long unreadable() {
        return unreadable;
    }

    /** What went wrong with the last unreadable entry, naming it; null when none was. */
    String lastProblem() {
        return lastProblem;
    }

    /** Up to {@code limit} processes; ones that exit while being read are skipped. */
    List<ProcessSample> read(int limit) throws IOException {
        List<ProcessSample> samples = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc, ProcReader::isPidFolder)) {
            for (Path entry : entries) {
                if (samples.size() >= limit) {
                    break;
                }
                readOne(entry).ifPresent(samples::add);
            }
        }
        return samples;
    }

    /** The folder of one process, {@code /proc/PID}. */
    Path folder(int pid) {
        return proc.resolve(Integer.toString(pid));
    }

    /** The process now at {@code pid}, if any; for checking whether a process still runs. */
    Optional<ProcessSample> readPid(int pid) {
        return readOne(folder(pid));
    }

    /**
     * Where the executable of the process in {@code pidFolder} lives ({@code readlink exe}); null
     * for kernel threads, exited processes and other users' processes without privileges.
     */
    static String exePath(Path pidFolder) {
        try {
            return Files.readSymbolicLink(pidFolder.resolve("exe")).toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    String hostname() {
        try {
            return Files.readString(proc.resolve("sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static boolean isPidFolder(Path path) {
        String name = path.getFileName().toString();
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return !name.isEmpty();
    }

    private Optional<ProcessSample> readOne(Path folder) {
        try {
            Optional<String> stat = readStat(folder);
            if (stat.isEmpty()) {
                return Optional.empty(); // exited between listing and reading
            }
            int uid = (Integer) Files.getAttribute(folder, "unix:uid");
            return Optional.of(parseStat(stat.get(), uid));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // exited before its owner was read
        } catch (IOException | RuntimeException e) {
            unreadable++;
            lastProblem = folder.resolve("stat") + ": " + e.getMessage();
            return Optional.empty();
        }
    }

    /** The text of {@code PID/stat} in {@code pidFolder}; empty once the process is gone. */
    static Optional<String> readStat(Path pidFolder) throws IOException {
        try (InputStream stat = Files.newInputStream(pidFolder.resolve("stat"))) {
            return readStat(pidFolder, stat);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Reads an opened {@code /proc/PID/stat}. A process reaped after the file was opened fails the
     * read with ESRCH, a plain IOException saying "No such process" in the system's language, and its
     * folder goes with it: either way that process is gone too. The
     * name is the kernel's bytes, which anyone can set and need not be UTF-8, so it is decoded leniently.
     */
    static Optional<String> readStat(Path pidFolder, InputStream stat) throws IOException {
        try {
            return Optional.of(new String(stat.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            if (NO_SUCH_PROCESS.equals(e.getMessage()) || Files.notExists(pidFolder)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Parses one {@code /proc/PID/stat} line (proc(5)). The name sits in parentheses and may
     * itself hold spaces and parentheses, so fields are counted from the last ')'.
     */
    static ProcessSample parseStat(String stat, int uid) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("not a /proc/PID/stat line: " + stat);
        }
        int pid = Integer.parseInt(stat.substring(0, open).strip());
        String name = stat.substring(open + 1, close);
        String[] f = stat.substring(close + 2).strip().split(" ");
        // f[0] is field 3 (state); field n is f[n - 3].
        char state = f[0].charAt(0);
        int ppid = Integer.parseInt(f[1]);
        long utime = Long.parseLong(f[11]);
        long stime = Long.parseLong(f[12]);
        int threads = Integer.parseInt(f[17]);
        long start = Long.parseLong(f[19]);
        long vsize = Long.parseLong(f[20]);
        long rssPages = Long.parseLong(f[21]);
        return new ProcessSample(pid, ppid, name, state, utime + stime, threads, start, vsize, rssPages * PAGE_SIZE, uid);
    }
}
