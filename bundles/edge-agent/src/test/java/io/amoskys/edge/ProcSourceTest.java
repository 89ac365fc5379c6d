package io.amoskys.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.amoskys.schema.v1.Event;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

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
            new ProcSource(Path.of("/proc"), 1000, null, Clock.systemUTC()).sample("here", System.nanoTime(), events::add);

            Event sampled = events.stream().filter(e -> e.getEntityId().equals("here/" + renamed.pid())).findFirst().orElseThrow();
            assertEquals("a\uFFFDb", sampled.getProcess().getName());
            assertEquals(Long.toString(ProcessHandle.current().pid()), events.stream()
                    .filter(e -> e.getEntityId().equals("here/" + ProcessHandle.current().pid()))
                    .findFirst().orElseThrow().getProcess().getPid(), "the other processes are sampled too");
        } finally {
            renamed.destroyForcibly();
            renamed.onExit().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aProcessReapedBetweenOpeningAndReadingItsStatIsGone() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "300").start();
        try (InputStream stat = Files.newInputStream(Path.of("/proc", sleep.pid() + "/stat"))) {
            sleep.destroyForcibly();
            sleep.onExit().get(10, TimeUnit.SECONDS);
            assertEquals(Optional.empty(), ProcSource.readStat(stat), "the kernel fails this read with ESRCH");
        }
    }
}
