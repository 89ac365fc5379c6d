package io.amoskys.agent.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.TelemetryEvent;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Scans driven by hand over the real /proc, with this test JVM and a real child process. */
class ProcessScannerTest {
    private final ExeHasher hasher = new ExeHasher(ExeHasher.DEFAULT_ENTRIES, ExeHasher.DEFAULT_MAX_BYTES);
    private final ScanStats stats = new ScanStats(hasher::entries, () -> 0);
    private final ProcessScanner scanner = new ProcessScanner(new ProcReader(Path.of("/proc")), "testhost",
            "process@testhost", 100_000, hasher, new UserNames(Path.of("/etc/passwd")), stats, new AtomicLong());

    private static Optional<TelemetryEvent> find(List<TelemetryEvent> events, long pid, String lifecycle) {
        return events.stream()
                .filter(e -> e.labels().get("pid").equals(Long.toString(pid)))
                .filter(e -> java.util.Objects.equals(e.labels().get("event"), lifecycle))
                .findFirst();
    }

    @Test
    void reportsThisJvmsDescriptorsSocketsExecutableUserAndParents() throws Exception {
        long me = ProcessHandle.current().pid();
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            scanner.scan(true);
            TelemetryEvent e = find(scanner.scan(true), me, null).orElseThrow();

            assertEquals("process", e.kind());
            assertTrue(e.metrics().get("sockets") >= 1, "the open ServerSocket is a socket: " + e);
            assertTrue(e.metrics().get("fds") >= e.metrics().get("sockets") + 3, "stdin/out/err plus sockets: " + e);
            assertNotNull(e.metrics().get("cpu_percent"));

            Path java = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
            assertEquals(Files.readSymbolicLink(Path.of("/proc/self/exe")).toString(), e.labels().get("exe"));
            assertEquals(java.toString(), e.labels().get("exe"));
            String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(java)));
            assertEquals(expected, e.labels().get("exe_sha256"));

            int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            String user = UserNames.parse(Files.readString(Path.of("/etc/passwd"))).get(uid);
            assertEquals(user, e.labels().get("user"));

            long ppid = ProcessHandle.current().parent().orElseThrow().pid();
            String stat = Files.readString(Path.of("/proc/" + ppid + "/stat"));
            String parentName = ProcReader.parseStat(stat, 0).name();
            String parents = e.labels().get("parents");
            assertTrue(parents.equals(parentName) || parents.startsWith(parentName + ">"), parents);
            assertTrue(parents.split(">").length <= ParentChain.DEPTH, parents);
        }
    }

    @Test
    void seesAChildStartAndExitBetweenScans() throws Exception {
        scanner.scan(true);
        Process child = new ProcessBuilder("sleep", "2").start();
        List<TelemetryEvent> second = scanner.scan(true);
        TelemetryEvent start = find(second, child.pid(), "start").orElseThrow(() -> new AssertionError("no start in " + second.size()));
        assertEquals(Long.toString(ProcessHandle.current().pid()), start.labels().get("ppid"));

        assertEquals(0, child.waitFor());
        List<TelemetryEvent> third = scanner.scan(true);
        TelemetryEvent exit = find(third, child.pid(), "exit").orElseThrow(() -> new AssertionError("no exit in " + third.size()));
        assertEquals(start.entityId(), exit.entityId(), "pid + start time identify the process");
        assertEquals(start.metrics().get("resident_bytes"), exit.metrics().get("resident_bytes"), "exit carries the last values");
        assertTrue(exit.sequence() > start.sequence());
        assertTrue(find(third, child.pid(), null).isEmpty(), "no snapshot of an exited process");
    }

    @Test
    void theFirstScanReportsNoStartsAndNobodyListeningMeansNoEvents() throws Exception {
        assertTrue(scanner.scan(true).isEmpty(), "first look: no CPU share, and nothing started 'since'");
        assertTrue(scanner.scan(false).isEmpty());
        assertTrue(scanner.tracked() > 1);
    }

    @Test
    void countsItsOwnCostAsMetrics() throws Exception {
        scanner.scan(true);
        scanner.scan(true);
        scanner.scan(false);
        assertEquals(3, stats.scans());
        assertTrue(stats.scanSeconds() > 0);
        assertTrue(stats.processes() > 1);
        StringBuilder out = new StringBuilder();
        stats.writePrometheus(out);
        String text = out.toString();
        assertTrue(text.contains("# TYPE amoskys_process_scan_seconds_total counter\n"), text);
        assertTrue(text.contains("\namoskys_process_scans_total 3\n"), text);
        assertTrue(text.contains("\namoskys_process_processes " + stats.processes() + "\n"), text);
        assertTrue(text.contains("\namoskys_process_hash_cache_entries " + hasher.entries() + "\n"), text);
        assertTrue(hasher.entries() >= 1, "at least this JVM's java was hashed");
    }
}
