package io.amoskys.bus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.amoskys.api.bus.Cursor;
import io.amoskys.api.bus.LoggedEvent;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.schema.CanonicalBytes;
import io.amoskys.schema.Ed25519Keys;
import io.amoskys.schema.EnvelopeSigner;
import io.amoskys.schema.EventCodec;
import io.amoskys.schema.v1.Ack;
import io.amoskys.schema.v1.Envelope;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bus on a real embedded Derby log in a temporary folder. */
class BusServiceTest {
    @TempDir
    Path dir;

    private final EventCodec codec = new EventCodec();
    private final KeyPair key = Ed25519Keys.generate();
    private final EnvelopeSigner signer = new EnvelopeSigner(key);
    private BusService bus;

    private BusService start(TestConfig config) throws Exception {
        bus = new BusService(config);
        return bus;
    }

    @AfterEach
    void stop() {
        if (bus != null) {
            bus.deactivate();
        }
    }

    private byte[] envelope(String agent, long seq, int events) {
        List<TelemetryEvent> list = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            list.add(TelemetryEvent.builder().agentId(agent).sequence(seq * 1000 + i).entityId("host-" + i).kind(i % 2 == 0 ? "iot" : "process")
                    .timestampNanos(System.currentTimeMillis() * 1_000_000L).label("sensor", "s" + i).metric("value", i).build());
        }
        return signer.sign(codec.body(agent, seq, System.currentTimeMillis() * 1_000_000L, list)).toByteArray();
    }

    private Ack ingest(byte[] bytes) throws Exception {
        return bus.ingest(bytes, "test", null).get(10, TimeUnit.SECONDS);
    }

    @Test
    void acceptsOnceRecognisesDuplicatesAndSurvivesARestart() throws Exception {
        start(new TestConfig(dir)).trust().enroll("edge-1", key.getPublic());
        byte[] one = envelope("edge-1", 1, 3);
        byte[] two = envelope("edge-1", 2, 2);
        Ack first = ingest(one);
        assertEquals(Ack.Status.ACCEPTED, first.getStatus());
        assertEquals(1, first.getOffset());
        assertEquals(Ack.Status.ACCEPTED, ingest(two).getStatus());
        Ack again = ingest(one);
        assertEquals(Ack.Status.DUPLICATE, again.getStatus());
        assertEquals(1, again.getOffset());

        bus.deactivate();
        bus = null;
        start(new TestConfig(dir));
        assertEquals(Ack.Status.DUPLICATE, ingest(two).getStatus(), "duplicates are known after a restart");
        Ack third = ingest(envelope("edge-1", 3, 1));
        assertEquals(3, third.getOffset(), "offsets continue after a restart");
        assertEquals(2 + 2, bus.log().storedEnvelopes() + 1);
        assertTrue(bus.verifyLog().startsWith("log intact: 3 commits, 3 envelopes, 6 events"), bus.verifyLog());
    }

    @Test
    void aLateEnvelopeUnderTheAgentsHighestSequenceIsStoredNotTakenForADuplicate() throws Exception {
        // As after a failed group commit: sequence 1 failed, 2 was committed, 1 comes again.
        start(new TestConfig(dir)).trust().enroll("edge-1", key.getPublic());
        byte[] one = envelope("edge-1", 1, 1);
        byte[] two = envelope("edge-1", 2, 1);
        assertEquals(Ack.Status.ACCEPTED, ingest(two).getStatus());
        Ack late = ingest(one);
        assertEquals(Ack.Status.ACCEPTED, late.getStatus());
        assertEquals(2, late.getOffset());
        assertEquals(Ack.Status.DUPLICATE, ingest(one).getStatus());
        assertEquals(Ack.Status.DUPLICATE, ingest(two).getStatus(), "the late one did not lower the high mark");
        assertEquals(3, ingest(envelope("edge-1", 3, 1)).getOffset());
        assertTrue(bus.verifyLog().startsWith("log intact: 3 commits, 3 envelopes"), bus.verifyLog());
    }

    @Test
    void aSequenceInTheLogWithOtherContentIsRefusedNotTakenForADuplicate() throws Exception {
        // An edge agent whose spool was lost numbers from 1 again: its new events must not be dropped as duplicates.
        start(new TestConfig(dir)).trust().enroll("edge-1", key.getPublic());
        byte[] before = envelope("edge-1", 1, 2);
        assertEquals(Ack.Status.ACCEPTED, ingest(before).getStatus());
        byte[] anew = envelope("edge-1", 1, 3);
        Ack reused = ingest(anew);
        assertEquals(Ack.Status.REJECTED, reused.getStatus());
        assertEquals("sequence-reused", reused.getReason());
        assertTrue(reused.getDetail().contains("sequence 1 of edge-1 is in the log at offset 1 with other content"), reused.getDetail());
        assertEquals(Ack.Status.DUPLICATE, ingest(before).getStatus(), "the envelope itself, sent again, is still a duplicate");
        // Back to back, as they may come in one group commit: the second, with other content, is refused too.
        byte[] twoA = envelope("edge-1", 2, 1);
        byte[] twoB = envelope("edge-1", 2, 4);
        CompletableFuture<Ack> a = bus.ingest(twoA, "test", null);
        CompletableFuture<Ack> b = bus.ingest(twoB, "test", null);
        assertEquals(Ack.Status.ACCEPTED, a.get(10, TimeUnit.SECONDS).getStatus());
        assertEquals(Ack.Status.REJECTED, b.get(10, TimeUnit.SECONDS).getStatus());

        assertEquals(2, bus.log().storedEnvelopes());
        assertEquals(2, bus.log().quarantined(10).stream().filter(q -> q.reason().equals("sequence-reused")).count());
        StringBuilder metrics = new StringBuilder();
        bus.writePrometheus(metrics);
        assertTrue(metrics.toString().contains("amoskys_bus_rejected_total{reason=\"sequence-reused\"} 2\n"), metrics.toString());
    }

    @Test
    void anEventNoConsumerCouldReadIsRefusedBeforeItIsStored() throws Exception {
        start(new TestConfig(dir)).trust().enroll("edge-1", key.getPublic());
        io.amoskys.schema.v1.EnvelopeBody body = codec.body("edge-1", 1, System.currentTimeMillis() * 1_000_000L,
                List.of(TelemetryEvent.builder().agentId("edge-1").entityId("e").kind("iot").build()));
        byte[] noKind = signer.sign(body.toBuilder().setEvents(0, body.getEvents(0).toBuilder().setKind("")).build()).toByteArray();
        Ack ack = ingest(noKind);
        assertEquals("malformed", ack.getReason());
        assertTrue(ack.getDetail().contains("event 0 has kind ''"), ack.getDetail());
        byte[] comma = signer.sign(body.toBuilder().setEvents(0, body.getEvents(0).toBuilder().setKind("iot,flow")).build()).toByteArray();
        assertEquals("malformed", ingest(comma).getReason());
    }

    @Test
    void anAgentThatSignsTheWholeBodyIsStillHeardAndAnUnknownSignatureVersionIsNamed() throws Exception {
        start(new TestConfig(dir)).trust().enroll("edge-1", key.getPublic());
        Envelope digest = Envelope.parseFrom(envelope("edge-1", 1, 2));
        assertEquals(CanonicalBytes.V2, digest.getSignatureVersion());
        // As an agent built before signature version 2 signs: Ed25519 over the whole body, no version.
        Envelope second = Envelope.parseFrom(envelope("edge-1", 2, 2));
        java.security.Signature ed25519 = java.security.Signature.getInstance(Ed25519Keys.ALGORITHM);
        ed25519.initSign(key.getPrivate());
        ed25519.update(CanonicalBytes.of(signer.keyId(), second.getBody().toByteArray()));
        Envelope whole = second.toBuilder().clearSignatureVersion().setSignature(ByteString.copyFrom(ed25519.sign())).build();

        Ack unknown = ingest(digest.toBuilder().setSignatureVersion(9).build().toByteArray());
        assertEquals("unsupported-schema", unknown.getReason());
        assertEquals("signature version 9; this bus verifies versions 1 and 2", unknown.getDetail());
        assertEquals("forged-signature", ingest(whole.toBuilder().setSignatureVersion(CanonicalBytes.V2).build().toByteArray()).getReason(),
                "a whole-body signature does not pass as a digest one");
        assertEquals(Ack.Status.ACCEPTED, ingest(digest.toByteArray()).getStatus());
        assertEquals(Ack.Status.ACCEPTED, ingest(whole.toByteArray()).getStatus());
        StringBuilder metrics = new StringBuilder();
        bus.writePrometheus(metrics);
        assertTrue(metrics.toString().contains("amoskys_bus_rejected_total{reason=\"unsupported-schema\"} 1"), metrics.toString());
        assertTrue(bus.verifyLog().startsWith("log intact: 2 commits, 2 envelopes, 4 events"), "both versions verify in the log: " + bus.verifyLog());
    }

    @Test
    void refusesWithReasonsCountsAndQuarantines() throws Exception {
        start(new TestConfig(dir)).trust().enroll("edge-1", key.getPublic());
        byte[] good = envelope("edge-1", 1, 1);
        Envelope parsed = Envelope.parseFrom(good);
        byte[] body = parsed.getBody().toByteArray();
        body[body.length - 1] ^= 1;
        assertEquals("forged-signature", ingest(parsed.toBuilder().setBody(ByteString.copyFrom(body)).build().toByteArray()).getReason());
        assertEquals("unsigned", ingest(parsed.toBuilder().clearSignature().build().toByteArray()).getReason());
        assertEquals("malformed", ingest(new byte[] {1, 2, 3, 4, 5}).getReason());
        assertEquals("oversized", ingest(new byte[(1 << 20) + 1]).getReason());
        KeyPair stranger = Ed25519Keys.generate();
        assertEquals("unknown-key", ingest(new EnvelopeSigner(stranger).sign(codec.body("edge-1", 1, System.currentTimeMillis() * 1_000_000L,
                List.of(TelemetryEvent.builder().agentId("edge-1").entityId("e").kind("iot").build()))).toByteArray()).getReason());
        bus.trust().enroll("edge-2", stranger.getPublic());
        assertEquals("agent-mismatch", ingest(new EnvelopeSigner(stranger).sign(codec.body("edge-1", 1, System.currentTimeMillis() * 1_000_000L,
                List.of(TelemetryEvent.builder().agentId("edge-1").entityId("e").kind("iot").build()))).toByteArray()).getReason());
        assertEquals("replayed-outside-window", ingest(signer.sign(codec.body("edge-1", 9, 1_000_000L,
                List.of(TelemetryEvent.builder().agentId("edge-1").entityId("e").kind("iot").build()))).toByteArray()).getReason());
        assertEquals("agent-mismatch", bus.ingest(good, "test", "someone-else").get().getReason(), "certificate names another agent");
        Ack notABody = ingest(signer.sign(ByteString.copyFrom(new byte[] {(byte) 0xff, 1, 2})).toByteArray());
        assertEquals("malformed", notABody.getReason());
        assertTrue(notABody.getDetail().startsWith("signed body is not an EnvelopeBody: "), notABody.getDetail());
        bus.trust().revoke(Ed25519Keys.keyId(key.getPublic()));
        assertEquals("revoked-key", ingest(good).getReason());

        StringBuilder metrics = new StringBuilder();
        bus.writePrometheus(metrics);
        for (String reason : List.of("forged-signature", "unsigned", "oversized", "unknown-key", "replayed-outside-window", "revoked-key")) {
            assertTrue(metrics.toString().contains("amoskys_bus_rejected_total{reason=\"" + reason + "\"} 1"), reason + " in\n" + metrics);
        }
        assertTrue(metrics.toString().contains("amoskys_bus_rejected_total{reason=\"agent-mismatch\"} 2"));
        assertTrue(metrics.toString().contains("amoskys_bus_rejected_total{reason=\"malformed\"} 2"));
        assertEquals(0, bus.log().storedEnvelopes(), "nothing refused reaches the log");
        // The log's writer stores refusals before the commits queued after them.
        KeyPair third = Ed25519Keys.generate();
        bus.trust().enroll("edge-4", third.getPublic());
        assertEquals(Ack.Status.ACCEPTED, bus.ingest(new EnvelopeSigner(third).sign(codec.body("edge-4", 1, System.currentTimeMillis() * 1_000_000L,
                List.of(TelemetryEvent.builder().agentId("edge-4").entityId("e").kind("iot").build()))).toByteArray(), "t", null).get().getStatus());
        List<QuarantinedEnvelope> rows = bus.log().quarantined(100);
        assertEquals(10, rows.size(), rows.toString());
        assertEquals("revoked-key", rows.get(0).reason());
    }

    @Test
    void consumersResumeAfterTheirCommittedOffsetAndFilterByKind() throws Exception {
        start(new TestConfig(dir)).trust().enroll("edge-1", key.getPublic());
        for (int seq = 1; seq <= 5; seq++) {
            ingest(envelope("edge-1", seq, 4));
        }
        try (Cursor cursor = bus.open("pipeline", Set.of("iot"))) {
            List<LoggedEvent> events = cursor.poll(2, 1, TimeUnit.SECONDS);
            assertEquals(2, events.size(), "the first envelope: 2 of its 4 events are iot");
            assertEquals(1, events.get(0).offset());
            assertTrue(events.stream().allMatch(e -> e.event().kind().equals("iot")));
            cursor.commit(events.get(events.size() - 1).offset());
        }
        try (Cursor cursor = bus.open("pipeline", Set.of())) {
            List<LoggedEvent> events = cursor.poll(1000, 1, TimeUnit.SECONDS);
            assertEquals(16, events.size());
            assertEquals(2, events.get(0).offset());
            assertEquals("edge-1:2000", events.get(0).event().id());
            long waitedFrom = System.nanoTime();
            Thread producer = new Thread(() -> {
                try {
                    ingest(envelope("edge-1", 6, 1));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            producer.start();
            List<LoggedEvent> next = cursor.poll(10, 30, TimeUnit.SECONDS);
            assertEquals(6, next.get(0).offset(), "a waiting poll wakes for the new commit");
            assertTrue(System.nanoTime() - waitedFrom < TimeUnit.SECONDS.toNanos(30));
            producer.join();
        }
        try (Cursor range = bus.range(2, 3, Set.of())) {
            assertEquals(8, range.poll(100, 1, TimeUnit.SECONDS).size());
            assertTrue(range.exhausted());
        }
    }

    @Test
    void retentionKeepsTheLogUnderItsSizeAndTheChainVerifiableFromItsNewStart() throws Exception {
        TestConfig config = new TestConfig(dir);
        int size = envelope("edge-1", 1, 2).length;
        config.retentionMaxBytes = 3L * size + size / 2;
        start(config).trust().enroll("edge-1", key.getPublic());
        for (int seq = 1; seq <= 10; seq++) {
            assertEquals(Ack.Status.ACCEPTED, ingest(envelope("edge-1", seq, 2)).getStatus());
        }
        // Retention runs right after the commit that went past the limit, before the next one.
        assertEquals(Ack.Status.ACCEPTED, ingest(envelope("edge-1", 11, 2)).getStatus());
        assertTrue(bus.log().storedBytes() <= config.retentionMaxBytes() + size, "bytes " + bus.log().storedBytes());
        assertTrue(bus.log().storedEnvelopes() <= 4, "envelopes " + bus.log().storedEnvelopes());
        String report = bus.verifyLog();
        assertTrue(report.startsWith("log intact: "), report);
        assertTrue(report.endsWith("..11"), report);
        assertEquals(Ack.Status.DUPLICATE, ingest(envelope("edge-1", 2, 2)).getStatus(), "a removed envelope is not let in again");
        try (Cursor cursor = bus.open("late-reader", Set.of())) {
            long first = cursor.poll(1, 1, TimeUnit.SECONDS).get(0).offset();
            assertEquals(11 - bus.log().storedEnvelopes() + 1, first, "a consumer starts at the oldest envelope kept");
        }
        StringBuilder metrics = new StringBuilder();
        bus.writePrometheus(metrics);
        assertTrue(metrics.toString().contains("amoskys_bus_retention_removed_total " + (11 - bus.log().storedEnvelopes())), metrics.toString());
    }

    @Test
    void verifyFindsAnAlteredEnvelope() throws Exception {
        start(new TestConfig(dir)).trust().enroll("edge-1", key.getPublic());
        for (int seq = 1; seq <= 3; seq++) {
            ingest(envelope("edge-1", seq, 2));
        }
        assertTrue(bus.verifyLog().startsWith("log intact"));
        try (Connection c = bus.log().connect();
             PreparedStatement ps = c.prepareStatement("UPDATE envelope SET bytes = ? WHERE log_offset = 2")) {
            // Validly signed, same agent, sequence and kinds: only the chain can tell.
            ps.setBytes(1, envelope("edge-1", 2, 2));
            ps.executeUpdate();
            c.commit();
        }
        String report = bus.verifyLog();
        assertTrue(report.startsWith("LOG DAMAGED: commit 2 (offsets 2..2) was altered"), report);
        try (Connection c = bus.log().connect();
             PreparedStatement ps = c.prepareStatement("UPDATE envelope SET kinds = 'iot' WHERE log_offset = 1")) {
            ps.executeUpdate(); // would hide its process events from a consumer of process
            c.commit();
        }
        report = bus.verifyLog();
        assertTrue(report.startsWith("LOG DAMAGED: envelope 1: its stored agent, sequence, kinds or event count"), report);
        try (Connection c = bus.log().connect();
             PreparedStatement ps = c.prepareStatement("DELETE FROM envelope WHERE log_offset = 3")) {
            ps.executeUpdate();
            c.commit();
        }
        assertTrue(bus.verifyLog().contains("LOG DAMAGED"));
    }

    @Test
    void localAgentsSignAndPublishInOrder() throws Exception {
        TestConfig config = new TestConfig(dir);
        config.batch = 7;
        start(config);
        LocalPublisher publisher = new LocalPublisher(bus, config);
        List<io.amoskys.api.EventSink> sinks = new ArrayList<>();
        io.amoskys.api.Agent agent = sink -> {
            sinks.add(sink);
            return () -> { };
        };
        publisher.addAgent(agent, java.util.Map.of("amoskys.plugin.name", "test"));
        for (int i = 0; i < 100; i++) {
            sinks.get(0).accept(TelemetryEvent.builder().agentId("test@here").sequence(i).entityId("e").kind("process")
                    .label("name", "p" + i).metric("cpu_percent", i).build());
        }
        publisher.deactivate();
        try (Cursor cursor = bus.range(1, Long.MAX_VALUE - 1, Set.of())) {
            List<LoggedEvent> events = new ArrayList<>();
            while (events.size() < 100) {
                List<LoggedEvent> got = cursor.poll(1000, 10, TimeUnit.SECONDS);
                assertTrue(!got.isEmpty(), "only " + events.size() + " of 100 events reached the log");
                events.addAll(got);
            }
            for (int i = 0; i < 100; i++) {
                assertEquals(i, events.get(i).event().sequence());
                assertEquals("p" + i, events.get(i).event().labels().get("name"));
            }
        }
        assertEquals(1, bus.trust().list().size(), "the local agent's key was enrolled");
        LocalPublisher second = new LocalPublisher(bus, config);
        List<io.amoskys.api.EventSink> more = new ArrayList<>();
        second.addAgent(sink -> {
            more.add(sink);
            return () -> { };
        }, java.util.Map.of("amoskys.plugin.name", "odd"));
        more.get(0).accept(TelemetryEvent.builder().agentId("not/valid").entityId("e").kind("process").build());
        StringBuilder metrics = new StringBuilder();
        second.writePrometheus(metrics);
        assertTrue(metrics.toString().contains("amoskys_bus_local_lost_events_total 1"), "counted, not thrown: " + metrics);
        // An event no consumer could read, from a local agent: its envelope is refused as a remote one would be.
        more.get(0).accept(TelemetryEvent.builder().agentId("odd@here").entityId("e").kind("iot,flow").build());
        second.deactivate();
        metrics.setLength(0);
        second.writePrometheus(metrics);
        assertTrue(metrics.toString().contains("amoskys_bus_local_lost_events_total 2"), "refused and counted: " + metrics);
        StringBuilder busMetrics = new StringBuilder();
        bus.writePrometheus(busMetrics);
        assertTrue(busMetrics.toString().contains("amoskys_bus_rejected_total{reason=\"malformed\"} 1"), "refused as malformed: " + busMetrics);
        assertTrue(bus.verifyLog().startsWith("log intact"));
    }

    private byte[] envelopeOf(String agent, long seq, long... eventSequences) {
        List<TelemetryEvent> list = new ArrayList<>();
        for (long e : eventSequences) {
            list.add(TelemetryEvent.builder().agentId(agent).sequence(e).entityId("host-" + e).kind("iot")
                    .timestampNanos(System.currentTimeMillis() * 1_000_000L).build());
        }
        return signer.sign(codec.body(agent, seq, System.currentTimeMillis() * 1_000_000L, list)).toByteArray();
    }

    @Test
    void findsAStoredEventByItsIdAndNothingItDoesNotHold() throws Exception {
        start(new TestConfig(dir)).trust().enroll("edge-1", key.getPublic());
        ingest(envelope("edge-1", 1, 3)); // events 1000..1002
        ingest(envelope("edge-1", 2, 2)); // 2000, 2001
        // An agent that numbered out of order: ranges 5000..7000 and 5500..6000 overlap.
        ingest(envelopeOf("edge-1", 3, 5000, 7000));
        ingest(envelopeOf("edge-1", 4, 5500, 6000));

        LoggedEvent found = bus.find("edge-1:1001").orElseThrow();
        assertEquals(1, found.offset());
        assertEquals(1, found.index());
        assertEquals("edge-1:1001", found.event().id());
        assertEquals("host-1", found.event().entityId());
        assertEquals(2, bus.find("edge-1", 2001).orElseThrow().offset());
        assertEquals(3, bus.find("edge-1:5000").orElseThrow().offset(), "the envelope whose range starts lower");
        assertEquals(4, bus.find("edge-1:6000").orElseThrow().offset());
        assertEquals(3, bus.find("edge-1:7000").orElseThrow().offset());
        // More overlapping envelopes than candidates read, all inside 5000..7000 but none holding 5000.
        for (int seq = 5; seq < 5 + EventLookup.MAX_CANDIDATES + 4; seq++) {
            ingest(envelopeOf("edge-1", seq, 5001 + seq, 6001 + seq));
        }
        assertEquals(3, bus.find("edge-1:5000").orElseThrow().offset(), "found past envelopes that cannot hold it");
        assertTrue(bus.find("edge-1:1500").isEmpty(), "between two envelopes");
        assertTrue(bus.find("edge-1:6500").isEmpty(), "inside a range that does not hold it");
        assertTrue(bus.find("edge-1:9000").isEmpty(), "after the last");
        assertTrue(bus.find("edge-9:1000").isEmpty(), "an agent never heard of");

        KeyPair otherKey = Ed25519Keys.generate(); // an agent id with a colon in it
        EnvelopeSigner other = new EnvelopeSigner(otherKey);
        bus.trust().enroll("site:edge-3", otherKey.getPublic());
        List<TelemetryEvent> one = List.of(TelemetryEvent.builder().agentId("site:edge-3").sequence(42).entityId("s")
                .kind("iot").build());
        ingest(other.sign(codec.body("site:edge-3", 1, System.currentTimeMillis() * 1_000_000L, one)).toByteArray());
        assertEquals("site:edge-3", bus.find("site:edge-3:42").orElseThrow().event().agentId());
        assertEquals(java.util.Map.of("edge-1", 9L + 2 * (EventLookup.MAX_CANDIDATES + 4), "site:edge-3", 1L), bus.eventsByAgent(),
                "events taken in, by agent");
        StringBuilder metrics = new StringBuilder();
        bus.writePrometheus(metrics);
        assertTrue(metrics.toString().contains("amoskys_bus_agent_events_total{agent=\"site:edge-3\"} 1\n"), metrics.toString());

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> bus.find("edge-1"));
        assertTrue(bad.getMessage().contains("'edge-1' is not an event id"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> bus.find("edge-1:x1"));
        assertThrows(IllegalArgumentException.class, () -> bus.find(":12"));
    }

    @Test
    void aLogFromBeforeEventIdsGetsTheColumnsAndFindsWhatComesAfter() throws Exception {
        start(new TestConfig(dir)).trust().enroll("edge-1", key.getPublic());
        ingest(envelope("edge-1", 1, 2));
        try (Connection c = bus.log().connect(); java.sql.Statement s = c.createStatement()) {
            s.executeUpdate("DROP INDEX envelope_agent_event");
            s.executeUpdate("ALTER TABLE envelope DROP COLUMN max_event_seq");
            s.executeUpdate("ALTER TABLE envelope DROP COLUMN min_event_seq");
            c.commit();
        }
        bus.deactivate();
        bus = null;
        start(new TestConfig(dir));
        assertTrue(bus.find("edge-1:1000").isEmpty(), "stored before the columns: not found by id");
        ingest(envelope("edge-1", 2, 2));
        assertEquals(2, bus.find("edge-1:2001").orElseThrow().offset());
        try (Cursor range = bus.range(1, 2, Set.of())) {
            assertEquals(4, range.poll(100, 1, TimeUnit.SECONDS).size(), "the older envelope still replays");
        }
        assertTrue(bus.verifyLog().startsWith("log intact: 2 commits"), bus.verifyLog());
    }
}
