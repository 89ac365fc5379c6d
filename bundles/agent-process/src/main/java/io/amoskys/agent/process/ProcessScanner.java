package io.amoskys.agent.process;

import io.amoskys.api.event.EventKinds;
import io.amoskys.api.event.TelemetryEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One look at the process table per {@link #scan} call: a snapshot event per process seen twice
 * (the CPU share needs two looks), a {@code start} event per process not there at the previous
 * look and an {@code exit} event, with the last known values, per process gone since.
 *
 * <p>A process is identified by pid plus start time (/proc/PID/stat field 22), so a reused pid
 * reads as one exit and one start. This is polling: a process that starts and exits between two
 * scans is never seen, so short-lived processes (most shell commands) are missed unless the
 * interval is shorter than their life. Catching all of them needs kernel help (netlink proc
 * connector, audit or eBPF), which this agent does not use.
 *
 * <p>Not thread-safe: one thread scans.
 */
final class ProcessScanner {
    /** The last look at one process. */
    private record Seen(ProcessView view, Double cpuPercent) {}

    private final ProcReader reader;
    private final String hostname;
    private final String agentId;
    private final int maxProcesses;
    private final ExeHasher hasher;
    private final UserNames users;
    private final ScanStats stats;
    private final AtomicLong sequence;
    private Map<String, Seen> previous = new HashMap<>();
    private long previousNanos;
    private boolean first = true;

    ProcessScanner(ProcReader reader, String hostname, String agentId, int maxProcesses,
            ExeHasher hasher, UserNames users, ScanStats stats, AtomicLong sequence) {
        this.reader = reader;
        this.hostname = hostname;
        this.agentId = agentId;
        this.maxProcesses = maxProcesses;
        this.hasher = hasher;
        this.users = users;
        this.stats = stats;
        this.sequence = sequence;
    }

    /**
     * Looks once. With {@code emit} false (nobody listens) only the process table is tracked:
     * no fds, executables, hashes or events.
     */
    List<TelemetryEvent> scan(boolean emit) throws IOException {
        long cpuBefore = ScanStats.threadCpuNanos();
        List<TelemetryEvent> events = new ArrayList<>();
        List<ProcessSample> samples = reader.read(maxProcesses);
        try {
            long now = System.nanoTime();
            long wallNanos = System.currentTimeMillis() * 1_000_000L;
            double seconds = previousNanos == 0 ? 0 : (now - previousNanos) / 1e9;
            if (emit) {
                users.refresh();
            }
            Map<Integer, ProcessSample> byPid = new HashMap<>(samples.size() * 2);
            for (ProcessSample p : samples) {
                byPid.put(p.pid(), p);
            }
            Map<String, Seen> current = new HashMap<>(samples.size() * 2);
            for (ProcessSample p : samples) {
                String entity = entity(p);
                Seen before = previous.get(entity);
                Double cpu = before == null || seconds <= 0 ? null
                        : 100.0 * (p.cpuTicks() - before.view().sample().cpuTicks()) / ProcReader.TICKS_PER_SECOND / seconds;
                ProcessView view = emit ? details(p, byPid) : ProcessView.bare(p);
                current.put(entity, new Seen(view, cpu));
                if (!emit) {
                    continue;
                }
                if (before == null && !first) {
                    events.add(event(entity, wallNanos, view, null, "start"));
                } else if (cpu != null) {
                    events.add(event(entity, wallNanos, view, cpu, null));
                }
            }
            boolean truncated = samples.size() >= maxProcesses;
            for (Iterator<Map.Entry<String, Seen>> it = previous.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Seen> gone = it.next();
                if (current.containsKey(gone.getKey())) {
                    continue;
                }
                if (truncated && stillRuns(gone.getValue().view().sample())) {
                    current.put(gone.getKey(), gone.getValue()); // beyond the limit, not gone
                    continue;
                }
                if (emit) {
                    events.add(event(gone.getKey(), wallNanos, gone.getValue().view(), gone.getValue().cpuPercent(), "exit"));
                }
            }
            previous = current;
            previousNanos = now;
            first = false;
        } finally {
            stats.recordScan(ScanStats.threadCpuNanos() - cpuBefore, samples.size());
        }
        return events;
    }

    /** Processes being tracked after the last scan. */
    int tracked() {
        return previous.size();
    }

    private boolean stillRuns(ProcessSample p) {
        Optional<ProcessSample> now = reader.readPid(p.pid());
        return now.isPresent() && now.get().startTicks() == p.startTicks();
    }

    private String entity(ProcessSample p) {
        return "process:" + hostname + ":" + p.pid() + ":" + p.startTicks();
    }

    private ProcessView details(ProcessSample p, Map<Integer, ProcessSample> byPid) {
        Path folder = reader.folder(p.pid());
        String exe = ProcReader.exePath(folder);
        String sha = exe == null ? null : hasher.sha256(exe, folder.resolve("exe"));
        return new ProcessView(p, FdCounter.count(folder), exe, sha, users.name(p.uid()), ParentChain.of(p, byPid));
    }

    private TelemetryEvent event(String entity, long wallNanos, ProcessView v, Double cpuPercent, String lifecycle) {
        ProcessSample p = v.sample();
        TelemetryEvent.Builder b = TelemetryEvent.builder()
                .agentId(agentId)
                .sequence(sequence.getAndIncrement())
                .entityId(entity)
                .kind(EventKinds.PROCESS)
                .timestampNanos(wallNanos)
                .label("host", hostname)
                .label("name", p.name())
                .label("pid", Integer.toString(p.pid()))
                .label("ppid", Integer.toString(p.ppid()))
                .label("uid", Integer.toString(p.uid()))
                .label("state", String.valueOf(p.state()))
                .metric("resident_bytes", p.residentBytes())
                .metric("virtual_bytes", p.virtualBytes())
                .metric("threads", p.threads());
        optionalLabel(b, "event", lifecycle);
        optionalLabel(b, "user", v.user());
        optionalLabel(b, "exe", v.exe());
        optionalLabel(b, "exe_sha256", v.exeSha256());
        optionalLabel(b, "parents", v.parents());
        if (cpuPercent != null) {
            b.metric("cpu_percent", cpuPercent);
        }
        if (v.fds().known()) {
            b.metric("fds", v.fds().fds()).metric("sockets", v.fds().sockets());
        }
        return b.build();
    }

    private static void optionalLabel(TelemetryEvent.Builder b, String name, String value) {
        if (value != null && !value.isEmpty()) {
            b.label(name, value);
        }
    }
}
