package io.amoskys.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.schema.v1.Event;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process source on the real /proc, with processes that end or rename themselves under it. */
class ProcSourceTest {

    @Test
    void aProcessWhoseNameIsNotUtf8IsSampledLikeAnyOther() throws Exception {
        // Any process may rename itself (/proc/self/comm) to bytes that are no UTF-8.
        Process renamed = new ProcessBuilder("sh", "-c", "printf 'a\\377b' > /proc/$$/comm && echo renamed && read line")
                .redirectErrorStream(true).start();
        try {
            assertEquals("renamed", new BufferedReader(new InputStreamReader(renamed.getInputStream(), StandardCharsets.UTF_8)).readLine());
            List<Event> events = new ArrayList<>();
            Counters counters = new Counters();
            new ProcSource(Path.of("/proc"), 1000, null, Clock.systemUTC(), new PrintStream(OutputStream.nullOutputStream()), counters)
                    .sample("here", System.nanoTime(), events::add);

            Event sampled = events.stream().filter(e -> e.getEntityId().equals("here/" + renamed.pid())).findFirst().orElseThrow();
            assertEquals("a\uFFFDb", sampled.getProcess().getName());
            assertEquals(Long.toString(ProcessHandle.current().pid()), events.stream()
                    .filter(e -> e.getEntityId().equals("here/" + ProcessHandle.current().pid()))
                    .findFirst().orElseThrow().getProcess().getPid(), "the other processes are sampled too");
            assertEquals(0, counters.badInput());
        } finally {
            renamed.destroyForcibly();
            renamed.onExit().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anEntryThatCannotBeParsedIsCountedAndNamedAndTheOthersAreSampled(@TempDir Path proc) throws Exception {
        Files.createDirectories(proc.resolve("41"));
        Files.writeString(proc.resolve("41/stat"), "41 (good) S 1 41 41 0 -1 4194560 100 0 0 0 700 300 0 0 20 0 7 0 "
                + "123456 1000000 250 18446744073709551615\n");
        Files.createDirectories(proc.resolve("42"));
        Files.writeString(proc.resolve("42/stat"), "42 (cut) S 1\n");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Counters counters = new Counters();
        List<Event> events = new ArrayList<>();
        new ProcSource(proc, 1000, null, Clock.systemUTC(), new PrintStream(log, true, StandardCharsets.UTF_8), counters)
                .sample("here", System.nanoTime(), events::add);

        assertEquals(List.of("here/41"), events.stream().map(Event::getEntityId).toList());
        assertEquals(1, counters.badInput());
        String said = log.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("1 /proc entries of this sample could not be read; the first: " + proc.resolve("42/stat")), said);
    }

    @Test
    void aProcessReapedBetweenOpeningAndReadingItsStatIsGone() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "300").start();
        Path folder = Path.of("/proc", Long.toString(sleep.pid()));
        try (InputStream stat = Files.newInputStream(folder.resolve("stat"))) {
            sleep.destroyForcibly();
            sleep.onExit().get(10, TimeUnit.SECONDS);
            assertEquals(Optional.empty(), ProcSource.readStat(folder, stat), "the kernel fails this read with ESRCH");
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
            assertEquals(german, assertThrows(IOException.class, () -> ProcSource.readStat(folder, failing)),
                    "a process that still runs: an error, not gone");
        } finally {
            sleep.destroyForcibly();
            sleep.onExit().get(10, TimeUnit.SECONDS);
        }
        assertEquals(Optional.empty(), ProcSource.readStat(folder, failing));
    }
}
