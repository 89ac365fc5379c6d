package io.amoskys.edge;

import io.amoskys.schema.v1.Event;
import io.amoskys.schema.v1.ProcessSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Samples the processes of a Linux /proc every {@code interval}: one {@code process} event per
 * process, with its CPU share since the previous sample. Runs until interrupted.
 */
final class ProcSource implements EventSource {
    private static final int TICKS_PER_SECOND = 100;
    private static final long PAGE_SIZE = 4096;
    /** strerror(ESRCH) in the C locale, which the JDK puts in the IOException of a failed read. */
    private static final String NO_SUCH_PROCESS = "No such process";

    private final Path proc;
    private final long intervalMillis;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final PrintStream log;
    private final Counters counters;
    private final Map<Integer, Long> previousTicks = new HashMap<>();
    private long previousNanos;
    private long sequence;

    /** Entries that cannot be read or parsed are counted in {@code counters} and named on {@code log}. */
    ProcSource(Path proc, long intervalMillis, ScheduledExecutorService timer, Clock clock, PrintStream log, Counters counters) {
        this.proc = proc;
        this.intervalMillis = intervalMillis;
        this.timer = timer;
        this.clock = clock;
        this.log = log;
        this.counters = counters;
    }

    @Override
    public void run(Sink sink) throws IOException, InterruptedException {
        BlockingQueue<Long> ticks = new LinkedBlockingQueue<>(1);
        ScheduledFuture<?> clockwork = timer.scheduleAtFixedRate(() -> ticks.offer(System.nanoTime()), 0,
                intervalMillis, TimeUnit.MILLISECONDS);
        try {
            String host = hostname();
            while (true) {
                sample(host, ticks.take(), sink);
            }
        } finally {
            clockwork.cancel(false);
        }
    }

    /** One event per process now in /proc; {@code nanos} is the monotonic time of this sample. */
    void sample(String host, long nanos, Sink sink) throws IOException {
        double elapsedSeconds = previousNanos == 0 ? 0 : (nanos - previousNanos) / 1e9;
        previousNanos = nanos;
        Instant now = clock.instant();
        long timestamp = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        Map<Integer, Long> seen = new HashMap<>();
        int bad = 0;
        String firstProblem = null;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path folder : entries) {
                Event event;
                try {
                    Optional<String> stat = readStat(folder);
                    if (stat.isEmpty()) {
                        continue;
                    }
                    event = event(host, timestamp, elapsedSeconds, stat.get(), (Integer) Files.getAttribute(folder, "unix:uid"), seen);
                } catch (NoSuchFileException e) {
                    continue; // exited while listed
                } catch (IOException | RuntimeException e) {
                    // Counted and named; the other processes still count.
                    counters.badInput.incrementAndGet();
                    firstProblem = bad++ == 0 ? folder.resolve("stat") + ": " + e : firstProblem;
                    continue;
                }
                sink.accept(event);
            }
        }
        if (bad > 0) {
            log.println("edge-agent: " + bad + " /proc entries of this sample could not be read; the first: " + firstProblem);
        }
        previousTicks.clear();
        previousTicks.putAll(seen);
    }

    private Event event(String host, long timestamp, double elapsedSeconds, String stat, int uid, Map<Integer, Long> seen) {
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String[] f = stat.substring(close + 2).strip().split(" ");
                int pid = Integer.parseInt(stat.substring(0, open).strip());
                long cpuTicks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                seen.put(pid, cpuTicks);
                ProcessSnapshot.Builder snapshot = ProcessSnapshot.newBuilder()
                        .setHost(host)
                        .setName(stat.substring(open + 1, close))
                        .setPid(Integer.toString(pid))
                        .setPpid(f[1])
                        .setUid(Integer.toString(uid))
                        .setState(f[0])
                        .setThreads(Double.parseDouble(f[17]))
                        .setVirtualBytes(Double.parseDouble(f[20]))
                        .setResidentBytes(Long.parseLong(f[21]) * (double) PAGE_SIZE);
                Long before = previousTicks.get(pid);
                if (before != null && elapsedSeconds > 0) {
                    snapshot.setCpuPercent(100.0 * (cpuTicks - before) / TICKS_PER_SECOND / elapsedSeconds);
                }
                return Event.newBuilder().setEntityId(host + "/" + pid).setKind("process")
                        .setTimestampNs(timestamp).setEventSequence(++sequence).setProcess(snapshot).build();
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

    private String hostname() {
        try {
            return Files.readString(proc.resolve("sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
