package io.amoskys.responder.nftables;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs nft: arguments as a list (never a shell), an optional script on stdin, a deadline, and at
 * most {@value #MAX_CAPTURE} bytes kept of each of stdout and stderr.
 */
final class NftCommand {
    static final int MAX_CAPTURE = 4096;

    private final List<String> command;
    private final long timeoutSeconds;

    NftCommand(List<String> command, long timeoutSeconds) {
        this.command = List.copyOf(command);
        this.timeoutSeconds = timeoutSeconds;
    }

    /** What one run did. {@code exit} is -1 when it timed out. */
    record Run(String commandLine, int exit, boolean timedOut, String stdout, String stderr) {
        boolean ok() {
            return exit == 0 && !timedOut;
        }

        /** For the receipt: what ran and what it printed. */
        String describe(String script) {
            StringBuilder out = new StringBuilder(commandLine);
            if (script != null) {
                out.append(" <<EOF\n").append(script).append("EOF");
            }
            out.append(timedOut ? "\ntimed out" : "\nexit " + exit);
            if (!stdout.isBlank()) {
                out.append("\nstdout: ").append(stdout.strip());
            }
            if (!stderr.isBlank()) {
                out.append("\nstderr: ").append(stderr.strip());
            }
            return out.toString();
        }
    }

    /**
     * @throws IOException when nft cannot be started at all (missing, not executable)
     */
    Run run(List<String> args, String stdin) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(command);
        line.addAll(args);
        Process process = new ProcessBuilder(line).start();
        Capture out = new Capture(process.getInputStream());
        Capture err = new Capture(process.getErrorStream());
        out.start();
        err.start();
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // nft exited before reading its script; its exit status and stderr say why.
        }
        boolean finished;
        try {
            finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly(); // the platform is stopping this worker: leave no nft behind
            throw e;
        }
        if (!finished) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        out.join(TimeUnit.SECONDS.toMillis(5));
        err.join(TimeUnit.SECONDS.toMillis(5));
        return new Run(String.join(" ", line), finished ? process.exitValue() : -1, !finished, out.text(), err.text());
    }

    /** Drains one stream so the process never blocks on a full pipe, keeping only its beginning. */
    private static final class Capture extends Thread {
        private final InputStream stream;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private boolean truncated;

        Capture(InputStream stream) {
            super("amoskys-nft-output");
            setDaemon(true);
            this.stream = stream;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[1024];
            try (stream) {
                for (int n; (n = stream.read(buffer)) >= 0; ) {
                    int room = MAX_CAPTURE - kept.size();
                    synchronized (this) {
                        kept.write(buffer, 0, Math.min(room, n));
                        truncated |= n > room;
                    }
                }
            } catch (IOException e) {
                // The process was killed; what was read so far is all there is.
            }
        }

        synchronized String text() {
            return kept.toString(StandardCharsets.UTF_8) + (truncated ? " [truncated]" : "");
        }
    }
}
