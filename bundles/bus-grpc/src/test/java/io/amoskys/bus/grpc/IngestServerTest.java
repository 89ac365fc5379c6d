package io.amoskys.bus.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.schema.Ed25519Keys;
import io.amoskys.schema.EnvelopeSigner;
import io.amoskys.schema.v1.Ack;
import io.amoskys.schema.v1.Envelope;
import io.amoskys.schema.v1.EnvelopeBody;
import io.amoskys.schema.v1.Event;
import io.amoskys.schema.v1.IotReading;
import io.grpc.Status;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Netty server with real certificates, against a bus that really checks signatures. */
class IngestServerTest {
    private static final int WINDOW = 4;
    private static final int MAX_ENVELOPE = 64 * 1024;

    @TempDir
    Path dir;

    private final VerifyingIngest ingest = new VerifyingIngest(MAX_ENVELOPE);
    private final GrpcMetrics metrics = new GrpcMetrics();
    private final KeyPair edge1 = Ed25519Keys.generate();
    private final KeyPair edge2 = Ed25519Keys.generate();
    private CertificateAuthority ca;
    private IngestServer server;
    private final List<TestClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        ca = new CertificateAuthority(dir.resolve("tls"));
        ca.init(List.of(), 1, false);
        ca.issueAgent("edge-1", dir.resolve("edge-1"), 1);
        ingest.enroll("edge-1", edge1.getPublic());
        ingest.enroll("edge-2", edge2.getPublic());
        // One call thread: messages already read off a connection are delivered before later ones,
        // which is what lets the flow-control test prove a negative with a probe round trip.
        server = IngestServer.start(new IngestServer.Settings("127.0.0.1", 0, dir.resolve("tls"), WINDOW, 8),
                ingest, metrics, Executors.newSingleThreadExecutor());
    }

    @AfterEach
    void stop() throws Exception {
        for (TestClient client : clients) {
            client.close();
        }
        server.close();
    }

    @Test
    void signedEnvelopesFromACertifiedAgentAreAcceptedInOrder() throws Exception {
        TestClient.Stream stream = edge1Client().open();
        for (long seq = 1; seq <= 10; seq++) {
            stream.send(envelope(edge1, "edge-1", seq));
        }
        stream.halfClose();
        for (long seq = 1; seq <= 10; seq++) {
            Ack ack = stream.nextAck();
            assertEquals(seq, ack.getSequence());
            assertEquals(Ack.Status.ACCEPTED, ack.getStatus(), ack.toString());
            assertEquals("edge-1", ack.getAgentId());
        }
        assertEquals(Status.Code.OK, stream.awaitClose().getCode());
        assertEquals(10, ingest.accepted.size());
        assertTrue(scrape().contains("amoskys_grpc_envelopes_received_total 10\n"), scrape());
    }

    @Test
    void forgedSignaturesAndOtherAgentsAreRejectedWhileTheStreamGoesOn() throws Exception {
        Envelope genuine = envelope(edge1, "edge-1", 1);
        Envelope forged = genuine.toBuilder().setSignature(envelope(edge2, "edge-1", 1).getSignature()).build();
        TestClient.Stream stream = edge1Client().open();
        stream.send(forged)
                .send(envelope(edge2, "edge-2", 1)) // a valid envelope of another agent than the certificate's
                .send(genuine)
                .send(genuine);
        stream.halfClose();

        assertRejected(stream.nextAck(), 1, "forged-signature");
        assertRejected(stream.nextAck(), 1, "agent-mismatch");
        assertEquals(Ack.Status.ACCEPTED, stream.nextAck().getStatus());
        assertEquals(Ack.Status.DUPLICATE, stream.nextAck().getStatus());
        assertEquals(Status.Code.OK, stream.awaitClose().getCode());
        assertEquals(List.of("edge-1#1"), ingest.accepted);
    }

    @Test
    void anOversizedEnvelopeIsRejectedWithoutEndingTheStream() throws Exception {
        Envelope big = signer(edge1).sign(EnvelopeBody.newBuilder().setSchemaVersion(1).setAgentId("edge-1").setSequence(1)
                .addEvents(Event.newBuilder().setKind("iot").setEntityId("s").putExtraLabels("blob", "x".repeat(MAX_ENVELOPE + 1000)))
                .build());
        assertTrue(big.getSerializedSize() > MAX_ENVELOPE);
        TestClient.Stream stream = edge1Client().open();
        stream.send(big).send(envelope(edge1, "edge-1", 2));
        stream.halfClose();

        assertRejected(stream.nextAck(), 0, "oversized");
        assertEquals(Ack.Status.ACCEPTED, stream.nextAck().getStatus());
        assertEquals(Status.Code.OK, stream.awaitClose().getCode());
    }

    @Test
    void neverMoreThanTheWindowIsUnacknowledgedAndAcksKeepArrivalOrder() throws Exception {
        ingest.hold = seq -> seq < 1000;
        TestClient client = edge1Client();
        TestClient.Stream stream = client.open();
        for (long seq = 1; seq <= 20; seq++) {
            stream.send(envelope(edge1, "edge-1", seq));
        }
        stream.halfClose();
        List<VerifyingIngest.Held> first = new ArrayList<>();
        for (int i = 0; i < WINDOW; i++) {
            first.add(nextHeld());
        }
        probe(client, 1000);
        assertNull(ingest.held.peek(), "the server read past its window");

        // Later envelopes finish first: their acks wait for the first one.
        for (int i = WINDOW - 1; i >= 1; i--) {
            first.get(i).release();
        }
        probe(client, 1001);
        assertNull(stream.acks.peek(), "an ack overtook an earlier envelope's");
        first.get(0).release();

        long expected = 1;
        for (; expected <= WINDOW; expected++) {
            assertEquals(expected, stream.nextAck().getSequence());
        }
        for (int released = WINDOW; released < 20; released++) {
            nextHeld().release();
            assertEquals(expected++, stream.nextAck().getSequence());
        }
        assertEquals(Status.Code.OK, stream.awaitClose().getCode());
        assertEquals(WINDOW, ingest.mostUnfinished.get());
        assertEquals(22, ingest.accepted.size());
    }

    @Test
    void aFailedLogEndsTheStreamAsUnavailable() throws Exception {
        ingest.failAt = 2;
        TestClient.Stream stream = edge1Client().open();
        stream.send(envelope(edge1, "edge-1", 1)).send(envelope(edge1, "edge-1", 2)).send(envelope(edge1, "edge-1", 3));
        assertEquals(1, stream.nextAck().getSequence());
        Status status = stream.awaitClose();
        assertEquals(Status.Code.UNAVAILABLE, status.getCode(), status.toString());
        assertNull(stream.acks.poll(), "no ack after the failed envelope");
    }

    @Test
    void aClientWithoutCertificateIsRefusedAndCounted() throws Exception {
        TestClient client = track(new TestClient(server.port(), dir.resolve("tls/ca.crt"), null, null));
        TestClient.Stream stream = client.open();
        stream.send(envelope(edge1, "edge-1", 1));
        Status status = stream.awaitClose();

        assertEquals(Status.Code.UNAUTHENTICATED, status.getCode());
        assertEquals("no client certificate", status.getDescription());
        assertTrue(scrape().contains("amoskys_grpc_refused_connections_total{reason=\"no-client-certificate\"} 1\n"), scrape());
        assertTrue(scrape().contains("amoskys_grpc_refused_connections_total{reason=\"untrusted-client-certificate\"} 0\n"), scrape());
        assertTrue(ingest.accepted.isEmpty());
    }

    @Test
    void aCertificateOfOurCaWithoutACommonNameIsRefusedAndCounted() throws Exception {
        CertificateAuthority.AgentFiles files = ca.issueClient(new org.bouncycastle.asn1.x500.X500Name("O=amoskys"), "nameless",
                dir.resolve("nameless"), 1);
        TestClient client = track(new TestClient(server.port(), dir.resolve("tls/ca.crt"), files.certificate(), files.key()));
        TestClient.Stream stream = client.open();
        stream.send(envelope(edge1, "edge-1", 1));
        Status status = stream.awaitClose();

        assertEquals(Status.Code.UNAUTHENTICATED, status.getCode());
        assertEquals("the client certificate names no agent (no CN)", status.getDescription());
        assertTrue(scrape().contains("amoskys_grpc_refused_connections_total{reason=\"no-agent-name\"} 1\n"), scrape());
        assertTrue(ingest.accepted.isEmpty());
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedInTheHandshakeAndCounted() throws Exception {
        CertificateAuthority stranger = new CertificateAuthority(dir.resolve("other-ca"));
        stranger.init(List.of(), 1, false);
        CertificateAuthority.AgentFiles files = stranger.issueAgent("edge-1", dir.resolve("impostor"), 1);
        // It trusts our server (our CA), but its own certificate comes from the stranger CA.
        TestClient client = track(new TestClient(server.port(), dir.resolve("tls/ca.crt"), files.certificate(), files.key()));
        TestClient.Stream stream = client.open();
        stream.send(envelope(edge1, "edge-1", 1));
        Status status = stream.awaitClose();

        assertNotEquals(Status.Code.OK, status.getCode());
        assertEquals(1, metrics.refusals(GrpcMetrics.Refusal.UNTRUSTED_CLIENT_CERTIFICATE), scrape());
        assertEquals(0, metrics.refusals(GrpcMetrics.Refusal.NO_CLIENT_CERTIFICATE));
        assertTrue(scrape().contains("amoskys_grpc_refused_connections_total{reason=\"untrusted-client-certificate\"} 1\n"), scrape());
        assertTrue(ingest.accepted.isEmpty());
    }

    @Test
    void openStreamsAreAGauge() throws Exception {
        TestClient.Stream stream = edge1Client().open();
        stream.send(envelope(edge1, "edge-1", 1));
        assertEquals(Ack.Status.ACCEPTED, stream.nextAck().getStatus());
        assertTrue(scrape().contains("amoskys_grpc_streams 1\n"), scrape());
        assertTrue(scrape().startsWith("# HELP amoskys_grpc_streams "), scrape());
    }

    @Test
    void oneAgentCannotTakeEveryPlace() throws Exception {
        TestClient greedy = edge1Client();
        List<TestClient.Stream> open = new ArrayList<>();
        for (int sequence = 1; sequence <= IngestServer.Settings.DEFAULT_MAX_STREAMS_PER_AGENT; sequence++) {
            TestClient.Stream stream = greedy.open();
            stream.send(envelope(edge1, "edge-1", sequence));
            assertEquals(Ack.Status.ACCEPTED, stream.nextAck().getStatus()); // open on the server, not only asked for
            open.add(stream);
        }
        Status refused = greedy.open().awaitClose();
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getCode(), refused.toString());
        assertEquals("agent edge-1 has 4 streams open already (maxStreamsPerAgent); close one, or retry later",
                refused.getDescription());
        assertTrue(scrape().contains("amoskys_grpc_streams_turned_away_total{full=\"agent\"} 1\n"), scrape());
        assertTrue(scrape().contains("amoskys_grpc_streams_turned_away_total{full=\"server\"} 0\n"), scrape());

        ca.issueAgent("edge-2", dir.resolve("edge-2"), 1);
        TestClient other = track(new TestClient(server.port(), dir.resolve("edge-2/ca.crt"), dir.resolve("edge-2/edge-2.crt"),
                dir.resolve("edge-2/edge-2.key")));
        TestClient.Stream theirs = other.open();
        theirs.send(envelope(edge2, "edge-2", 1));
        assertEquals(Ack.Status.ACCEPTED, theirs.nextAck().getStatus(), "another agent still finds a place");

        open.get(0).halfClose();
        assertEquals(Status.Code.OK, open.get(0).awaitClose().getCode());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestClient.TIMEOUT_SECONDS);
        while (metrics.openStreams("edge-1") > 3 && System.nanoTime() < deadline) {
            Thread.sleep(20); // the client may see the close before the server's call has ended
        }
        TestClient.Stream again = greedy.open();
        again.send(envelope(edge1, "edge-1", 5));
        assertEquals(Ack.Status.ACCEPTED, again.nextAck().getStatus(), "a place its agent freed is the agent's again");
    }

    @Test
    void aStreamWhoseLinkDiedIsDroppedByTheServersPingsAndFreesItsSlot() throws Exception {
        server.close();
        server = IngestServer.start(new IngestServer.Settings("127.0.0.1", 0, dir.resolve("tls"), WINDOW, 8, 4, Duration.ofSeconds(10)),
                ingest, metrics, Executors.newSingleThreadExecutor());
        try (FreezableLink link = new FreezableLink(server.port())) {
            TestClient client = track(new TestClient(link.port(), dir.resolve("edge-1/ca.crt"), dir.resolve("edge-1/edge-1.crt"),
                    dir.resolve("edge-1/edge-1.key")));
            TestClient.Stream stream = client.open();
            stream.send(envelope(edge1, "edge-1", 1));
            assertEquals(Ack.Status.ACCEPTED, stream.nextAck().getStatus());
            assertTrue(scrape().contains("amoskys_grpc_streams 1\n"), scrape());

            link.freeze(); // the agent's link dies without a FIN: no byte either way, no socket closed
            // 10 s of silence, then a ping unanswered for 1 s: well within 30 s, and hours before grpc-java's default.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!scrape().contains("amoskys_grpc_streams 0\n") && System.nanoTime() < deadline) {
                Thread.sleep(50); // a pause between two probes, not a synchronisation: the server needs the core to ping
            }
            assertTrue(scrape().contains("amoskys_grpc_streams 0\n"), "the dead link's stream still holds its slot: " + scrape());
        }
    }

    private void probe(TestClient client, long sequence) throws Exception {
        TestClient.Stream probe = client.open();
        probe.send(envelope(edge1, "edge-1", sequence));
        assertEquals(sequence, probe.nextAck().getSequence());
        probe.halfClose();
        assertEquals(Status.Code.OK, probe.awaitClose().getCode());
    }

    private VerifyingIngest.Held nextHeld() throws InterruptedException {
        VerifyingIngest.Held held = ingest.held.poll(TestClient.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(held, "the server did not read the next envelope");
        return held;
    }

    private static void assertRejected(Ack ack, long sequence, String reason) {
        assertEquals(Ack.Status.REJECTED, ack.getStatus(), ack.toString());
        assertEquals(reason, ack.getReason());
        assertEquals(sequence, ack.getSequence());
    }

    private TestClient edge1Client() throws Exception {
        return track(new TestClient(server.port(), dir.resolve("edge-1/ca.crt"), dir.resolve("edge-1/edge-1.crt"),
                dir.resolve("edge-1/edge-1.key")));
    }

    private TestClient track(TestClient client) {
        clients.add(client);
        return client;
    }

    private String scrape() {
        StringBuilder out = new StringBuilder();
        metrics.writePrometheus(out);
        return out.toString();
    }

    private static EnvelopeSigner signer(KeyPair key) {
        return new EnvelopeSigner(key);
    }

    static Envelope envelope(KeyPair key, String agent, long sequence) {
        Event event = Event.newBuilder().setEntityId("sensor-1").setKind("iot").setTimestampNs(1_700_000_000_000_000_000L)
                .setEventSequence(sequence).setIot(IotReading.newBuilder().setSensor("sensor-1").setValue(21.5).setUnit("Cel"))
                .build();
        return signer(key).sign(EnvelopeBody.newBuilder().setSchemaVersion(1).setAgentId(agent).setSequence(sequence)
                .setTimestampNs(System.currentTimeMillis() * 1_000_000L).addEvents(event).build());
    }

}
