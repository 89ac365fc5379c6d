package io.amoskys.agent.snmp.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A peer process started by a test: its output is read on a thread of its own, and readiness is a
 * future completed by the line that says so (no polling, no sleeps). Keeps the last lines for
 * failure messages; stopped on close.
 */
class ProcessPeer implements AutoCloseable {
    private final String name;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();

    ProcessPeer(String name, ProcessBuilder builder, Predicate<List<String>> isReady) throws IOException {
        this.name = name;
        this.process = builder.redirectErrorStream(true).start();
        process.getOutputStream().close();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                        if (lines.size() > 400) {
                            lines.remove(0);
                        }
                        if (!ready.isDone() && isReady.test(lines)) {
                            ready.complete(null);
                        }
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            ready.completeExceptionally(new IllegalStateException(name + " ended before it was ready: " + Peers.tail(lines)));
        }, name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    void awaitReady(long seconds) throws Exception {
        try {
            ready.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            close();
            throw new IllegalStateException(name + " not ready within " + seconds + " s: " + Peers.tail(lines));
        }
    }

    List<String> output() {
        return Peers.tail(lines);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
