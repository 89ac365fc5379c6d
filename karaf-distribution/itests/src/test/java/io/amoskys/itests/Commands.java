package io.amoskys.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The system's own tools (ip, nft, ss, nmap), run by the tests with a deadline. */
final class Commands {
    private Commands() {}

    /** Runs the command and fails the test unless it exits with 0; returns what it printed. */
    static String sh(String... command) throws Exception {
        Process p = start(List.of(command));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", command));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
        return out;
    }

    /**
     * Runs the command and returns its exit status; what it printed is shown when that is not 0,
     * unless the command deletes something (which may be gone already) or is a python3 probe.
     */
    static int run(List<String> command) throws Exception {
        Process p = start(command);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", command));
        if (p.exitValue() != 0 && !command.contains("del") && !command.contains("delete") && !command.contains("python3")) {
            System.out.println(String.join(" ", command) + ": " + out);
        }
        return p.exitValue();
    }

    private static Process start(List<String> command) throws Exception {
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}
