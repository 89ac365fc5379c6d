package io.amoskys.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.bus.grpc.CertificateAuthority;
import io.amoskys.bus.grpc.GrpcMetrics;
import io.amoskys.bus.grpc.IngestServer;
import io.amoskys.schema.Ed25519Keys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent against the real gRPC server, with real certificates, while the server is down and then up. */
class EdgeAgentEndToEndTest {
    private static final long TIMEOUT = 30;

    @TempDir
    Path dir;

    /** An agent's certificate and signing key from a fresh CA, a bus that records it, and its command line. */
    private record Setup(RecordingIngest ingest, int port, String[] args) {}

    private Setup setup(String agent, String... more) throws Exception {
        CertificateAuthority ca = new CertificateAuthority(dir.resolve("tls"));
        ca.init(List.of(), 1, false);
        CertificateAuthority.AgentFiles files = ca.issueAgent(agent, dir.resolve("agent"), 1);
        Path signingKey = dir.resolve("agent/signing.key");
        RecordingIngest ingest = new RecordingIngest(agent, Ed25519Keys.loadOrCreate(signingKey).getPublic());
        int port = freePort();
        List<String> args = new java.util.ArrayList<>(List.of("--server", "localhost:" + port, "--ca", files.ca().toString(),
                "--cert", files.certificate().toString(), "--key", files.key().toString(), "--agent-id", agent,
                "--signing-key", signingKey.toString(), "--spool", dir.resolve("spool").toString()));
        args.addAll(List.of(more));
        return new Setup(ingest, port, args.toArray(String[]::new));
    }

    @Test
    void spoolsWhileTheServerIsDownThenDeliversEverythingOnceInOrder() throws Exception {
        Setup setup = setup("edge-1", "--batch", "7", "--linger-ms", "20", "--reconnect-max-ms", "400");
        RecordingIngest ingest = setup.ingest();
        int port = setup.port();
        String[] args = setup.args();

        Log log = new Log();
        Counters counters;
        long startedMicros = System.currentTimeMillis() * 1000;
        try (EdgeAgent agent = new EdgeAgent(Options.parse(args), log.stream)) {
            CompletableFuture<Counters> done = agent.run(new JsonLinesSource(input(1, 98, 2), log.stream, agent.counters(), 1 << 20));
            agent.collected().get(TIMEOUT, TimeUnit.SECONDS);
            log.retrying.get(TIMEOUT, TimeUnit.SECONDS);
            long spooled = agent.counters().envelopes();
            assertTrue(spooled >= 14, "98 events in envelopes of at most 7: " + spooled);
            assertEquals(spooled, agent.pending(), "while the server is down everything waits in the spool");
            assertEquals(0, agent.counters().acked());

            try (IngestServer server = IngestServer.start(
                    new IngestServer.Settings("127.0.0.1", port, dir.resolve("tls"), 16, 4), ingest, new GrpcMetrics())) {
                counters = done.get(TIMEOUT, TimeUnit.SECONDS);
            }
            assertEquals(0, agent.pending());
        }
        long envelopes = counters.envelopes();
        long first = ingest.sequences().get(0);
        assertTrue(first >= startedMicros, "a new spool numbers from its start in microseconds: " + first + " < " + startedMicros);
        assertEquals(LongStream.range(first, first + envelopes).boxed().toList(), ingest.sequences(), "each envelope once, in order");
        assertEquals(LongStream.rangeClosed(1, 98).boxed().toList(), ingest.eventSequences(), "each event once, in order");
        assertEquals(envelopes, ingest.received, "nothing was sent twice");
        assertEquals(98, counters.events());
        assertEquals(2, counters.badInput());
        assertEquals("edge-agent: 98 events, " + envelopes + " envelopes sent, " + envelopes
                + " acked, 0 duplicates, 0 rejected, 0 dropped", counters.summary());
        assertTrue(log.text().contains("stdin line 50 is not an amoskys.v1.Event"), log.text());
        try (Stream<Path> left = Files.list(dir.resolve("spool"))) {
            assertEquals(List.of(), left.filter(p -> p.toString().endsWith(".seg")).toList(), "the spool is empty");
        }

        // A restart goes on with the next sequence, through the command-line entry point.
        try (IngestServer server = IngestServer.start(
                new IngestServer.Settings("127.0.0.1", port, dir.resolve("tls"), 16, 4), ingest, new GrpcMetrics())) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = EdgeAgentMain.run(args, input(99, 3, 0), new PrintStream(out), new PrintStream(err));
            String stderr = err.toString(StandardCharsets.UTF_8);
            assertEquals(0, status, stderr);
            // The linger may close a batch before all three lines are read, so the run sends one to three envelopes.
            long more = ingest.sequences().size() - envelopes;
            assertTrue(more >= 1 && more <= 3, "envelopes of the restarted run: " + more);
            assertTrue(stderr.endsWith("edge-agent: 3 events, " + more + " envelopes sent, " + more
                    + " acked, 0 duplicates, 0 rejected, 0 dropped\n"), stderr);
        }
        assertEquals(LongStream.range(first, first + ingest.sequences().size()).boxed().toList(), ingest.sequences(),
                "the restart goes on with the next sequence");
        assertEquals(LongStream.rangeClosed(1, 101).boxed().toList(), ingest.eventSequences());
    }

    @Test
    void anEventNoEnvelopeHoldsIsSkippedAndCountedAndTheNextArrives() throws Exception {
        Setup setup = setup("edge-2", "--max-envelope-bytes", "65536", "--linger-ms", "20");
        RecordingIngest ingest = setup.ingest();
        int port = setup.port();
        String[] args = setup.args();
        // 30,000 three-byte characters: a line the reader keeps (its limit is in characters), an event of 90 KB.
        String wide = "\u4e2d".repeat(30_000);
        String lines = iot(1, "sensor-1") + iot(2, wide) + iot(3, "sensor-1");
        Log log = new Log();
        try (IngestServer server = IngestServer.start(
                     new IngestServer.Settings("127.0.0.1", port, dir.resolve("tls"), 16, 4), ingest, new GrpcMetrics());
             EdgeAgent agent = new EdgeAgent(Options.parse(args), log.stream)) {
            Counters counters = agent.run(new JsonLinesSource(new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)),
                    log.stream, agent.counters(), EdgeAgentMain.maxLineChars(Options.parse(args)))).get(TIMEOUT, TimeUnit.SECONDS);
            assertEquals(1, counters.badInput(), log.text());
            assertEquals(2, counters.events());
            assertEquals(0, counters.rejected());
        }
        assertEquals(List.of(1L, 3L), ingest.eventSequences(), "the events on either side arrive");
        assertTrue(log.text().contains("event 2 takes 90"), log.text());
        assertTrue(log.text().contains("more than an envelope of --max-envelope-bytes 65536 holds: skipped"), log.text());
    }

    private static String iot(long sequence, String entity) {
        return "{\"entityId\":\"" + entity + "\",\"kind\":\"iot\",\"timestampNs\":\"1700000000000000000\",\"eventSequence\":\""
                + sequence + "\",\"iot\":{\"sensor\":\"s\",\"value\":1.5,\"unit\":\"Cel\"}}\n";
    }

    @Test
    void aNewSpoolNumbersFromTheClockButNeverFromBefore2026() {
        Log log = new Log();
        long now = System.currentTimeMillis();
        assertEquals(now * 1000, EdgeAgent.firstSequence(now, log.stream));
        assertEquals("", log.text());
        long unset = EdgeAgent.firstSequence(0, log.stream); // a host booted without its clock set
        assertEquals(java.time.Instant.parse("2026-01-01T00:00:00Z").toEpochMilli() * 1000, unset);
        assertTrue(log.text().contains("the clock says 1970-01-01T00:00:00Z, before 2026"), log.text());
    }

    @Test
    void badArgumentsAndUnreadableCertificatesExitWithStatusTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errors = new PrintStream(err);
        PrintStream out = new PrintStream(new ByteArrayOutputStream());
        assertEquals(2, EdgeAgentMain.run(new String[] {"--agent-id", "edge-1"}, System.in, out, errors));
        assertTrue(err.toString().contains("edge-agent: missing --signing-key"), err.toString());
        assertEquals(2, EdgeAgentMain.run(new String[] {"--server", "localhost:1", "--ca", dir.resolve("nope.crt").toString(),
                "--cert", "x", "--key", "y", "--agent-id", "edge-1", "--signing-key", dir.resolve("k").toString(),
                "--spool", dir.resolve("s").toString()}, System.in, out, errors));
        assertTrue(err.toString().contains("cannot read --ca"), err.toString());
        assertEquals(2, EdgeAgentMain.run(new String[] {"--server", "localhost", "--agent-id", "edge-1", "--signing-key", "k"},
                System.in, out, errors));
        assertTrue(err.toString().contains("--server must be HOST:PORT"), err.toString());
    }

    @Test
    void printKeyShowsWhatToEnroll() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path key = dir.resolve("signing.key");
        assertEquals(0, EdgeAgentMain.run(new String[] {"--print-key", "--agent-id", "edge-9", "--signing-key", key.toString()},
                System.in, new PrintStream(out), System.err));
        String publicKey = Ed25519Keys.encodePublic(Ed25519Keys.loadOrCreate(key).getPublic());
        assertTrue(out.toString().contains("key-id: " + Ed25519Keys.keyId(Ed25519Keys.loadOrCreate(key).getPublic())), out.toString());
        assertTrue(out.toString().contains("amoskys:keys enroll edge-9 " + publicKey), out.toString());
    }

    /** {@code count} iot events numbered from {@code first}, with a bad line at line 50 and 51 when {@code bad} is 2. */
    private static ByteArrayInputStream input(long first, int count, int bad) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (bad > 0 && lines.chars().filter(c -> c == '\n').count() == 49) {
                lines.append("{\"entityId\": \"cut off\n").append("{\"noSuchField\": 1}\n");
            }
            long seq = first + i;
            lines.append("{\"entityId\":\"sensor-1\",\"kind\":\"iot\",\"timestampNs\":\"1700000000000000000\",\"eventSequence\":\"")
                    .append(seq).append("\",\"iot\":{\"sensor\":\"sensor-1\",\"value\":21.5,\"unit\":\"Cel\"}}\n");
        }
        return new ByteArrayInputStream(lines.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The agent's log, with a future for its first "retrying" line. */
    private static final class Log {
        final CompletableFuture<Void> retrying = new CompletableFuture<>();
        private final StringBuffer text = new StringBuffer();
        final PrintStream stream = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                text.append((char) b);
                if (b == '\n' && text.indexOf("retrying in") >= 0) {
                    retrying.complete(null);
                }
            }
        }, true);

        String text() {
            return text.toString();
        }
    }
}
