package io.amoskys.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A remote agent process outside the container (the edge agent jar) streaming signed envelopes over
 * gRPC with mutual TLS: accepted in order, refused without a valid certificate or with a forged
 * signature, and, across a kill -9 of the container while it streams, nothing acknowledged lost,
 * nothing stored twice, order kept.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RemoteAgentIT {
    private static final String AGENT = "edge-1";
    private static final Pattern SUMMARY = Pattern.compile(
            "edge-agent: (\\d+) events, (\\d+) envelopes sent, (\\d+) acked, (\\d+) duplicates, (\\d+) rejected, (\\d+) dropped");

    private KarafInstance karaf;
    private long firstRunEnvelopes;
    private Path work;
    private Path tls;
    private int port;
    /** Events numbered 0.. that edge-1 sent with its genuine key and certificate (tests 1 and 4). */
    private static final long EVENTS_SENT = 46_000;

    @BeforeAll
    void boot() throws Exception {
        karaf = KarafInstance.unpack("remote");
        work = karaf.home.resolve("edge-work");
        Files.createDirectories(work);
        port = Ports.free();
        karaf.configure("io.amoskys.bus.grpc", Map.of("port", Integer.toString(port)));
        karaf.start();
        karaf.awaitAllActive();

        String init = karaf.client("amoskys:certs init");
        assertTrue(init.contains("ca.crt"), init);
        tls = work.resolve("tls");
        karaf.client("amoskys:certs --out " + tls + " agent " + AGENT);
        Eventually.await("the gRPC server to listen on " + port, Duration.ofSeconds(30), () -> karaf.httpGet("/metrics"),
                m -> m.contains("amoskys_grpc_streams"));

        String printed = edge(List.of("--print-key", "--agent-id", AGENT, "--signing-key", work.resolve("edge-1.signing").toString()),
                "").output();
        Matcher publicKey = Pattern.compile("(?m)^public-key: (\\S+)$").matcher(printed);
        assertTrue(publicKey.find(), printed);
        karaf.client("amoskys:keys enroll " + AGENT + " " + publicKey.group(1));
    }

    @AfterAll
    void stop() throws Exception {
        karaf.close();
    }

    record Run(int exit, String output) {
        Matcher summary() {
            Matcher m = SUMMARY.matcher(output);
            assertTrue(m.find(), output);
            return m;
        }
    }

    private List<String> agentArgs(Path cert, Path key, Path signingKey, Path spool, String batch) {
        return List.of("--server", "localhost:" + port, "--ca", tls.resolve("ca.crt").toString(), "--cert", cert.toString(),
                "--key", key.toString(), "--agent-id", AGENT, "--signing-key", signingKey.toString(), "--spool", spool.toString(),
                "--batch", batch, "--linger-ms", "20", "--reconnect-max-ms", "1000");
    }

    private ProcessBuilder edgeProcess(List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("amoskys.edgeAgentJar")));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true);
    }

    private Run edge(List<String> args, String stdin) throws Exception {
        Process p = edgeProcess(args).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "edge agent finished: " + out);
        return new Run(p.exitValue(), out);
    }

    /** JSON lines of iot events numbered from {@code first}, as a sensor gateway would send. */
    private String events(long first, int count) {
        StringBuilder out = new StringBuilder();
        long now = Instant.now().toEpochMilli() * 1_000_000L;
        for (long i = first; i < first + count; i++) {
            out.append("{\"entityId\":\"sensor-").append(i % 17).append("\",\"kind\":\"iot\",\"timestampNs\":\"").append(now + i)
                    .append("\",\"eventSequence\":\"").append(i).append("\",\"iot\":{\"sensor\":\"sensor-").append(i % 17)
                    .append("\",\"value\":").append(20 + (i % 10) / 10.0).append(",\"unit\":\"Cel\"}}\n");
        }
        return out.toString();
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long refusedConnections(String metrics) {
        return metric(metrics, "amoskys_grpc_refused_connections_total{reason=\"no-client-certificate\"}")
                + metric(metrics, "amoskys_grpc_refused_connections_total{reason=\"untrusted-client-certificate\"}");
    }

    private static long metric(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\d+)").matcher(metrics);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private Matcher agentLine(String agent) {
        Matcher m = Pattern.compile("(?m)^agent " + Pattern.quote(agent) + ": (\\d+) envelopes, sequences (\\d+)\\.\\.(\\d+), (\\d+) events$")
                .matcher(karaf.client("amoskys:bus"));
        return m.find() ? m : null;
    }

    @Test
    @Order(1)
    void aRemoteAgentStreamsSignedEnvelopesOverMutualTlsAndEachIsAcknowledgedOnce() throws Exception {
        long startedMicros = System.currentTimeMillis() * 1000;
        Run run = edge(agentArgs(tls.resolve(AGENT + ".crt"), tls.resolve(AGENT + ".key"), work.resolve("edge-1.signing"),
                work.resolve("spool"), "100"), events(0, 2000));
        assertEquals(0, run.exit(), run.output());
        Matcher s = run.summary();
        assertEquals("2000", s.group(1));
        firstRunEnvelopes = Long.parseLong(s.group(2));
        assertTrue(firstRunEnvelopes >= 20, "batches of at most 100 events: " + run.output());
        assertEquals(s.group(2), s.group(3), "every envelope acknowledged: " + run.output());
        assertEquals("0", s.group(5));
        Matcher log = agentLine(AGENT);
        // A new spool numbers from its start in microseconds, so a lost spool never reuses a sequence.
        assertTrue(log != null && log.group(1).equals(s.group(2)) && Long.parseLong(log.group(2)) >= startedMicros
                && Long.parseLong(log.group(3)) - Long.parseLong(log.group(2)) + 1 == firstRunEnvelopes
                && log.group(4).equals("2000"), karaf.client("amoskys:bus"));
        assertTrue(metric(karaf.httpGet("/metrics"), "amoskys_grpc_envelopes_received_total") >= firstRunEnvelopes);
    }

    @Test
    @Order(2)
    void aClientWithoutACertificateFromOurCaIsRefusedAndCounted() throws Exception {
        // A client certificate of its own making, not signed by the platform's CA.
        Path foreign = work.resolve("foreign");
        Files.createDirectories(foreign);
        Path store = foreign.resolve("intruder.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", "intruder", "-dname", "CN=" + AGENT,
                "-validity", "30", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        String keytoolOut = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), keytoolOut);
        KeyStore p12 = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            p12.load(in, "changeit".toCharArray());
        }
        Files.writeString(foreign.resolve("intruder.crt"), pem("CERTIFICATE", p12.getCertificate("intruder").getEncoded()));
        Files.writeString(foreign.resolve("intruder.key"), pem("PRIVATE KEY", p12.getKey("intruder", "changeit".toCharArray()).getEncoded()));

        // The JDK's TLS client offers no certificate the server's CA did not issue, so the refusal
        // comes as either reason, depending on the client; either way it is refused and counted.
        long refusedBefore = refusedConnections(karaf.httpGet("/metrics"));
        Process intruder = edgeProcess(agentArgs(foreign.resolve("intruder.crt"), foreign.resolve("intruder.key"),
                work.resolve("edge-1.signing"), foreign.resolve("spool"), "10"))
                .redirectInput(ProcessBuilder.Redirect.PIPE).redirectOutput(foreign.resolve("intruder.log").toFile()).start();
        try {
            intruder.getOutputStream().write(events(1_000_000, 50).getBytes(StandardCharsets.UTF_8));
            intruder.getOutputStream().flush();
            Eventually.await("the refusal to be counted", Duration.ofSeconds(30), () -> karaf.httpGet("/metrics"),
                    m -> refusedConnections(m) > refusedBefore);
            Eventually.await("the agent to be told why", Duration.ofSeconds(30), () -> readQuietly(foreign.resolve("intruder.log")),
                    log -> log.contains("UNAUTHENTICATED") || log.contains("certificate"));
        } finally {
            intruder.destroyForcibly().waitFor();
        }

        // No client certificate at all: a gRPC call over TLS that only checks the server.
        long missingBefore = metric(karaf.httpGet("/metrics"), "amoskys_grpc_refused_connections_total{reason=\"no-client-certificate\"}");
        HttpResponse<byte[]> call = anonymousPublish();
        String grpcStatus = call.headers().firstValue("grpc-status").orElse("none");
        assertEquals("16", grpcStatus, "UNAUTHENTICATED: " + call.headers().map());
        assertTrue(metric(karaf.httpGet("/metrics"), "amoskys_grpc_refused_connections_total{reason=\"no-client-certificate\"}") > missingBefore);

        Matcher log = agentLine(AGENT);
        assertEquals("2000", log.group(4), "nothing from the refused clients reached the log");
    }

    private HttpResponse<byte[]> anonymousPublish() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (var in = Files.newInputStream(tls.resolve("ca.crt"))) {
            trust.setCertificateEntry("amoskys-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        byte[] frame = new byte[5]; // one empty gRPC message: not compressed, length 0
        HttpClient client = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_2).build();
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/amoskys.v1.Ingest/Publish"))
                .header("content-type", "application/grpc").header("te", "trailers").timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(frame))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    @Test
    @Order(3)
    void aValidCertificateWithAForgedSignatureIsRefusedCountedAndQuarantined() throws Exception {
        // Someone who holds edge-1's certificate and knows its public key, but not its private key.
        String[] genuine = Files.readString(work.resolve("edge-1.signing")).strip().split("\\R");
        Path other = work.resolve("other.signing");
        edge(List.of("--print-key", "--agent-id", AGENT, "--signing-key", other.toString()), "");
        String[] otherKey = Files.readString(other).strip().split("\\R");
        Path forged = work.resolve("forged.signing");
        Files.writeString(forged, otherKey[0] + "\n" + genuine[1] + "\n");

        long before = metric(karaf.httpGet("/metrics"), "amoskys_bus_rejected_total{reason=\"forged-signature\"}");
        Run run = edge(agentArgs(tls.resolve(AGENT + ".crt"), tls.resolve(AGENT + ".key"), forged, work.resolve("forged-spool"), "10"),
                events(2_000_000, 30));
        assertEquals(0, run.exit(), run.output());
        Matcher s = run.summary();
        // Batches of at most 10 events; the 20 ms linger may cut one short on a slow machine, so count what was sent.
        int sent = Integer.parseInt(s.group(2));
        assertTrue(sent >= 3, "30 events in batches of at most 10: " + run.output());
        assertEquals(s.group(2), s.group(5), "every envelope refused: " + run.output());
        assertEquals("0", s.group(3));
        assertEquals(before + sent, metric(karaf.httpGet("/metrics"), "amoskys_bus_rejected_total{reason=\"forged-signature\"}"));
        String quarantine = karaf.client("amoskys:quarantine --limit " + sent);
        assertEquals(sent, quarantine.lines().filter(l -> l.contains("forged-signature") && l.contains(AGENT)).count(), quarantine);
        assertEquals("2000", agentLine(AGENT).group(4), "nothing forged reached the log");
    }

    @Test
    @Order(4)
    void killMinus9WhileAnAgentStreamsThenBusDownLosesNothingAcknowledgedStoresNothingTwiceAndKeepsOrder() throws Exception {
        Files.writeString(karaf.routes().resolve("edge-order.yaml"), """
                - route:
                    id: edge-order
                    from:
                      uri: "amoskys:bus/edge-order?kinds=iot"
                      steps:
                        - to: "log:io.amoskys.itests.edgeorder?showAll=false&showBody=true&showBodyType=false&showExchangePattern=false"
                """);
        Process agent = edgeProcess(agentArgs(tls.resolve(AGENT + ".crt"), tls.resolve(AGENT + ".key"), work.resolve("edge-1.signing"),
                work.resolve("spool"), "10"))
                .redirectInput(ProcessBuilder.Redirect.PIPE).redirectOutput(work.resolve("edge-stream.log").toFile()).start();
        OutputStream stdin = agent.getOutputStream();
        try {
            long acceptedBefore = metric(karaf.httpGet("/metrics"), "amoskys_bus_events_accepted_total");
            write(stdin, events(2000, 40_000));
            // Sustained ingest: 4,000 envelopes of 10 events each take the bus a few seconds.
            Eventually.await("the stream to be under way", Duration.ofSeconds(60), () -> karaf.httpGet("/metrics"),
                    m -> metric(m, "amoskys_bus_events_accepted_total") > acceptedBefore + 3000);
            karaf.killHard();

            // The bus is down; the agent keeps collecting into its spool.
            write(stdin, events(42_000, 3000));
            assertTrue(agent.isAlive(), "the agent keeps running while the bus is down");
            karaf.start();
            karaf.awaitAllActive();
            write(stdin, events(45_000, 1000));
        } finally {
            stdin.close();
        }
        assertTrue(agent.waitFor(180, TimeUnit.SECONDS), "the agent drained its spool and ended");
        String out = Files.readString(work.resolve("edge-stream.log"));
        assertEquals(0, agent.exitValue(), out);
        Matcher s = SUMMARY.matcher(out);
        assertTrue(s.find(), out);
        long envelopes = Long.parseLong(s.group(2));
        assertEquals(envelopes, Long.parseLong(s.group(3)) + Long.parseLong(s.group(4)), "every envelope acked (or acked as duplicate): " + out);
        assertEquals("0", s.group(5));
        assertEquals("0", s.group(6), "nothing dropped");

        Matcher log = agentLine(AGENT);
        long stored = Long.parseLong(log.group(1));
        assertEquals(Long.parseLong(log.group(3)) - Long.parseLong(log.group(2)) + 1, stored,
                "each sequence exactly once, none missing: " + log.group());
        assertEquals(firstRunEnvelopes + envelopes, stored, "the first run's envelopes and every one of this run's");
        assertEquals(EVENTS_SENT, Long.parseLong(log.group(4)), "every event sent is in the log");

        // The route read them all, in the order they were sent (a batch in progress at the kill
        // may be read twice: at-least-once; the first reading of each event must be in order).
        Eventually.await("the route to read every event", Duration.ofSeconds(60), () -> orderedIds(),
                ids -> ids.size() == EVENTS_SENT);
        List<Long> ids = new ArrayList<>(orderedIds());
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(i, ids.get(i).longValue(), "event " + i + " in order");
        }
        assertTrue(karaf.client("amoskys:verify").strip().startsWith("log intact: "));
    }

    private static void write(OutputStream stdin, String lines) {
        try {
            stdin.write(lines.getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The edge agent's event numbers in the order the route first logged them. */
    private Set<Long> orderedIds() {
        Set<Long> ids = new LinkedHashSet<>();
        Matcher m = Pattern.compile("edgeorder .*TelemetryEvent\\[" + Pattern.quote(AGENT) + ":(\\d+) ").matcher(readLogs());
        while (m.find()) {
            ids.add(Long.parseLong(m.group(1)));
        }
        return ids;
    }

    private String readLogs() {
        try {
            StringBuilder all = new StringBuilder();
            try (var files = Files.list(karaf.home.resolve("data/log"))) {
                List<Path> logs = files.filter(f -> f.getFileName().toString().startsWith("karaf.log")).sorted((a, b) -> b.compareTo(a)).toList();
                for (Path f : logs) {
                    all.append(Files.readString(f));
                }
            }
            return all.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
