package io.amoskys.agent.process;

import io.amoskys.api.admin.MetricsSource;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * What the scans cost: the scanning thread's own CPU time (wall time where the JVM cannot
 * measure thread CPU), how many scans, processes seen last, executables hashed in the cache, and
 * /proc entries that could not be read.
 */
final class ScanStats implements MetricsSource {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final AtomicLong scanNanos = new AtomicLong();
    private final AtomicLong scans = new AtomicLong();
    private final AtomicLong processes = new AtomicLong();
    private final IntSupplier hashCacheEntries;
    private final LongSupplier unreadable;

    ScanStats(IntSupplier hashCacheEntries, LongSupplier unreadable) {
        this.hashCacheEntries = hashCacheEntries;
        this.unreadable = unreadable;
    }

    /** The current thread's CPU time in nanoseconds, or wall nanos where unsupported. */
    static long threadCpuNanos() {
        if (THREADS.isCurrentThreadCpuTimeSupported()) {
            long cpu = THREADS.getCurrentThreadCpuTime();
            if (cpu >= 0) {
                return cpu;
            }
        }
        return System.nanoTime();
    }

    void recordScan(long costNanos, int processCount) {
        scanNanos.addAndGet(Math.max(0, costNanos));
        scans.incrementAndGet();
        processes.set(processCount);
    }

    double scanSeconds() {
        return scanNanos.get() / 1e9;
    }

    long scans() {
        return scans.get();
    }

    long processes() {
        return processes.get();
    }

    @Override
    public void writePrometheus(StringBuilder out) {
        family(out, "amoskys_process_scan_seconds_total", "counter",
                "CPU seconds the process agent spent scanning /proc", Double.toString(scanSeconds()));
        family(out, "amoskys_process_scans_total", "counter", "Scans of /proc", Long.toString(scans()));
        family(out, "amoskys_process_processes", "gauge", "Processes seen by the last scan", Long.toString(processes()));
        family(out, "amoskys_process_hash_cache_entries", "gauge", "Executable hashes held in the cache",
                Integer.toString(hashCacheEntries.getAsInt()));
        family(out, "amoskys_process_unreadable_total", "counter",
                "/proc entries that could not be read or parsed (a process ending while it is read is not one)",
                Long.toString(unreadable.getAsLong()));
    }

    private static void family(StringBuilder out, String name, String type, String help, String value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        out.append(name).append(' ').append(value).append('\n');
    }
}
