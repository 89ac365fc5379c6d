package io.amoskys.edge;

import io.amoskys.schema.Ed25519Keys;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code java -jar amoskys-edge-agent.jar ...}: see {@link Options#USAGE}. Exit status 0 when all
 * was sent (or the key printed), 2 for bad arguments or unreadable files, 1 when the agent failed.
 */
public final class EdgeAgentMain {
    private EdgeAgentMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (BadArgumentException e) {
            if (e.getMessage().isEmpty()) {
                out.println(Options.USAGE);
                return 0;
            }
            err.println("edge-agent: " + e.getMessage());
            err.println(Options.USAGE);
            return 2;
        }
        if (options.printKey()) {
            return printKey(options, out, err);
        }
        try (EdgeAgent agent = new EdgeAgent(options, err)) {
            EventSource source = options.source().equals("process")
                    ? new ProcSource(Path.of("/proc"), options.intervalMillis(), agent.timer(), Clock.systemUTC(), err, agent.counters())
                    : new JsonLinesSource(in, err, agent.counters(), maxLineChars(options));
            AtomicBoolean finished = new AtomicBoolean();
            Thread onStop = new Thread(() -> {
                if (!finished.get()) {
                    stopped(agent, err);
                }
            }, "edge-agent-stop");
            Runtime.getRuntime().addShutdownHook(onStop);
            try {
                Counters counters = agent.run(source).get();
                finished.set(true);
                if (counters.badInput() > 0) {
                    err.println("edge-agent: skipped " + counters.badInput() + (options.source().equals("process")
                            ? " /proc entries that could not be read" : " input lines that were not events"));
                }
                err.println(counters.summary());
                return 0;
            } finally {
                finished.set(true);
                removeHook(onStop);
            }
        } catch (BadArgumentException e) {
            err.println("edge-agent: " + e.getMessage());
            return 2;
        } catch (ExecutionException e) {
            err.println("edge-agent: failed: " + e.getCause());
            return 1;
        } catch (IOException e) {
            err.println("edge-agent: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** On SIGTERM: what was collected goes to the spool; the next start sends it. */
    private static void stopped(EdgeAgent agent, PrintStream err) {
        try {
            agent.flush();
        } catch (IOException | RuntimeException e) {
            err.println("edge-agent: could not spool the last events: " + e);
        }
        err.println(agent.counters().summary() + "; stopped with " + agent.pending() + " envelopes in the spool");
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook decides by itself
        }
    }

    private static int printKey(Options options, PrintStream out, PrintStream err) {
        try {
            KeyPair key = Ed25519Keys.loadOrCreate(options.signingKey());
            String publicKey = Ed25519Keys.encodePublic(key.getPublic());
            out.println("agent-id: " + options.agentId());
            out.println("key-id: " + Ed25519Keys.keyId(key.getPublic()));
            out.println("public-key: " + publicKey);
            out.println("enroll it in the container with: amoskys:keys enroll " + options.agentId() + " " + publicKey);
            return 0;
        } catch (IOException e) {
            err.println("edge-agent: cannot read or create --signing-key " + options.signingKey() + ": " + e.getMessage());
            return 2;
        }
    }

    /** An event must fit an envelope, and its JSON takes a few times its encoded size: 8 times, in characters. */
    static int maxLineChars(Options options) {
        return (int) Math.min(Integer.MAX_VALUE - 16, 8L * options.maxEnvelopeBytes());
    }
}
