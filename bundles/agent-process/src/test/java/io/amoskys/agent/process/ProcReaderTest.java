package io.amoskys.agent.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcReaderTest {

    @Test
    void readsThisJvmFromTheRealProcFileSystem() throws Exception {
        long myPid = ProcessHandle.current().pid();
        List<ProcessSample> samples = new ProcReader(Path.of("/proc")).read(100_000);

        ProcessSample me = samples.stream().filter(p -> p.pid() == myPid).findFirst().orElseThrow();
        assertEquals(ProcessHandle.current().parent().orElseThrow().pid(), me.ppid());
        assertTrue(me.threads() > 1, "a JVM runs several threads");
        assertTrue(me.residentBytes() > 10_000_000, "a JVM holds more than 10 MB");
        assertEquals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"), me.uid());
    }

    @Test
    void aProcessWhoseNameIsNotUtf8IsReadLikeAnyOther() throws Exception {
        // Any process may rename itself (/proc/self/comm) to bytes that are no UTF-8.
        Process renamed = new ProcessBuilder("sh", "-c", "printf 'a\\377b' > /proc/$$/comm && echo renamed && read line")
                .redirectErrorStream(true).start();
        try {
            assertEquals("renamed", new BufferedReader(new InputStreamReader(renamed.getInputStream(), StandardCharsets.UTF_8)).readLine());
            ProcReader reader = new ProcReader(Path.of("/proc"));
            ProcessSample sample = reader.readPid((int) renamed.pid()).orElseThrow();
            assertEquals("a\uFFFDb", sample.name());
            assertEquals(0, reader.unreadable(), reader.lastProblem());
        } finally {
            renamed.destroyForcibly();
            renamed.onExit().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aProcessReapedBetweenOpeningAndReadingItsStatIsGone() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "300").start();
        Path folder = Path.of("/proc", Long.toString(sleep.pid()));
        try (InputStream stat = Files.newInputStream(folder.resolve("stat"))) {
            sleep.destroyForcibly();
            sleep.onExit().get(10, TimeUnit.SECONDS);
            assertEquals(Optional.empty(), ProcReader.readStat(folder, stat), "the kernel fails this read with ESRCH");
        }
    }

    @Test
    void aFailedReadInAnotherLanguageIsGoneWhenTheFolderIsAndAnErrorWhileItIsNot() throws Exception {
        // The JVM says ESRCH in the system's language: de_DE's words, as a read of a reaped process gives them.
        Process sleep = new ProcessBuilder("sleep", "300").start();
        Path folder = Path.of("/proc", Long.toString(sleep.pid()));
        IOException german = new IOException("Kein passender Prozess gefunden");
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw german;
            }
        };
        try {
            assertEquals(german, assertThrows(IOException.class, () -> ProcReader.readStat(folder, failing)),
                    "a process that still runs: an error, not gone");
        } finally {
            sleep.destroyForcibly();
            sleep.onExit().get(10, TimeUnit.SECONDS);
        }
        assertEquals(Optional.empty(), ProcReader.readStat(folder, failing));
    }

    @Test
    void anEntryThatDoesNotParseIsCountedNamedAndExported(@TempDir Path proc) throws Exception {
        Files.createDirectories(proc.resolve("41"));
        Files.writeString(proc.resolve("41/stat"), "41 (good) S 1 41 41 0 -1 4194560 100 0 0 0 700 300 0 0 20 0 7 0 "
                + "123456 1000000 250 18446744073709551615\n");
        Files.createDirectories(proc.resolve("42"));
        Files.writeString(proc.resolve("42/stat"), "42 (cut) S 1\n");
        ProcReader reader = new ProcReader(proc);

        assertEquals(List.of(41), reader.read(100).stream().map(ProcessSample::pid).toList());
        assertEquals(1, reader.unreadable());
        assertTrue(reader.lastProblem().startsWith(proc.resolve("42/stat").toString()), reader.lastProblem());
        StringBuilder metrics = new StringBuilder();
        new ScanStats(() -> 0, reader::unreadable).writePrometheus(metrics);
        assertTrue(metrics.toString().contains("\namoskys_process_unreadable_total 1\n"), metrics.toString());
    }

    @Test
    void namesWithSpacesAndParenthesesDoNotShiftTheFields() {
        String stat = "4242 (evil) name) (x) S 1 4242 4242 0 -1 4194560 100 0 0 0 "
                + "700 300 0 0 20 0 7 0 123456 1000000 250 18446744073709551615";
        ProcessSample p = ProcReader.parseStat(stat, 1000);
        assertEquals(4242, p.pid());
        assertEquals("evil) name) (x", p.name());
        assertEquals('S', p.state());
        assertEquals(1000, p.cpuTicks());
        assertEquals(7, p.threads());
        assertEquals(123456, p.startTicks());
        assertEquals(250L * 4096, p.residentBytes());
    }

    @Test
    void garbageIsRefusedWithTheLineInTheMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProcReader.parseStat("garbage", 0));
        assertTrue(e.getMessage().contains("garbage"));
    }
}
