package io.amoskys.agent.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

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
