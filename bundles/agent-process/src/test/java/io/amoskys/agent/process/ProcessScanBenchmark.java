package io.amoskys.agent.process;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark, not a test: the process agent's own cost, CPU time per look at the real /proc with
 * every detail read (fds, sockets, executable hash, user, parents), cold (every executable hashed
 * for the first time) and warm (hashes cached), and what that is as a share of one core at the
 * default 5 s interval. Prints the table kept in docs/PERFORMANCE.md.
 *
 * <pre>mvn -o test -pl bundles/agent-process -Dtest=ProcessScanBenchmark -Damoskys.benchmark=true</pre>
 */
@EnabledIfSystemProperty(named = "amoskys.benchmark", matches = "true")
class ProcessScanBenchmark {
    private static final int LOOKS = 50;

    @Test
    void costOfOneLook() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ExeHasher hasher = new ExeHasher(ExeHasher.DEFAULT_ENTRIES, ExeHasher.DEFAULT_MAX_BYTES);
        ScanStats stats = new ScanStats(hasher::entries, () -> 0);
        ProcessScanner scanner = new ProcessScanner(new ProcReader(Path.of("/proc")), "bench", "process@bench", 4096,
                hasher, new UserNames(Path.of("/etc/passwd")), stats, new AtomicLong());
        long cold = threads.getCurrentThreadCpuTime();
        int processes = scanner.scan(true).size();
        cold = threads.getCurrentThreadCpuTime() - cold;
        long warm = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < LOOKS; i++) {
            processes = scanner.scan(true).size();
        }
        warm = (threads.getCurrentThreadCpuTime() - warm) / LOOKS;
        System.out.printf("%n| processes | first look, CPU ms | later looks, CPU ms (mean of %d) | share of one core at 5 s |%n", LOOKS);
        System.out.printf("|---:|---:|---:|---:|%n");
        System.out.printf("| %d | %.1f | %.2f | %.3f %% |%n", processes, cold / 1e6, warm / 1e6, warm / 1e6 / 5000 * 100);
    }
}
