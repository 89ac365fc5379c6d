package io.amoskys.responder.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sends a signal with the kill command ({@code kill -s SIGNAL PID}): Java can terminate another
 * process but neither stop nor continue one. Arguments as a list (never a shell), a deadline, and
 * at most {@value #MAX_OUTPUT} bytes kept of what it printed.
 */
final class KillCommand {
    static final int MAX_OUTPUT = 1024;
    private static final long TIMEOUT_SECONDS = 10;

    private final String killPath;

    KillCommand(String killPath) {
        this.killPath = killPath;
    }

    /** What one run did. {@code exit} is -1 when it timed out. */
    record Sent(String commandLine, int exit, String output) {
        boolean ok() {
            return exit == 0;
        }

        boolean noSuchProcess() {
            return exit != 0 && output.contains("No such process");
        }

        @Override
        public String toString() {
            return commandLine + (exit < 0 ? ": timed out" : ": exit " + exit) + (output.isBlank() ? "" : ", " + output.strip());
        }
    }

    /** @throws IOException when kill cannot be started at all */
    Sent send(String signal, int pid) throws IOException, InterruptedException {
        List<String> line = List.of(killPath, "-s", signal, Integer.toString(pid));
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
        builder.environment().put("LC_ALL", "C"); // its "No such process" is read, so it must not be translated
        Process process = builder.start();
        process.getOutputStream().close();
        boolean finished;
        try {
            finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
        if (!finished) {
            process.destroyForcibly();
        }
        String output;
        // kill prints a line at most, far below a pipe's capacity: reading after it ended cannot block it.
        try (InputStream in = process.getInputStream()) {
            output = finished ? new String(in.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8) : "";
        }
        return new Sent(String.join(" ", line), finished ? process.exitValue() : -1, output);
    }
}
