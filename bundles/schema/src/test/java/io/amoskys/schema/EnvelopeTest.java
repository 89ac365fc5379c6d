package io.amoskys.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.schema.v1.Envelope;
import io.amoskys.schema.v1.EnvelopeBody;
import io.amoskys.schema.v1.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvelopeTest {
    private final EventCodec codec = new EventCodec();

    private static TelemetryEvent flow(long seq) {
        return TelemetryEvent.builder().agentId("flow").sequence(seq).entityId("10.0.0.1").kind("flow")
                .timestampNanos(1_700_000_000_123_456_789L)
                .label("src", "10.0.0.1:5353").label("dst", "10.0.0.2:53").label("proto", "udp")
                .label("brand_new_label", "kept")
                .metric("packets_fwd", 3).metric("bytes_rev", 1200.5).metric("syn_fwd", 1)
                .metric("brand_new_metric", -0.25)
                .build();
    }

    @Test
    void typedKindsRoundTripExactlyAndUseTheirPayload() {
        TelemetryEvent event = flow(7);
        Event wire = codec.encode(event);
        assertEquals(Event.PayloadCase.FLOW, wire.getPayloadCase());
        assertEquals("udp", wire.getFlow().getProto());
        assertEquals(3.0, wire.getFlow().getPacketsFwd());
        assertFalse(wire.getFlow().hasPacketsRev(), "absent metrics stay absent, not zero");
        assertEquals(List.of("brand_new_label"), List.copyOf(wire.getExtraLabelsMap().keySet()));
        assertEquals(event, codec.decode("flow", wire));
    }

    @Test
    void flowsWithEveryMetricShareTheirMetricNamesAfterDecoding() {
        List<String> names = Event.getDescriptor().findFieldByName("flow").getMessageType().getFields().stream()
                .filter(f -> f.getJavaType() == com.google.protobuf.Descriptors.FieldDescriptor.JavaType.DOUBLE)
                .map(com.google.protobuf.Descriptors.FieldDescriptor::getName).toList();
        TelemetryEvent[] decoded = new TelemetryEvent[2];
        for (int i = 0; i < 2; i++) {
            TelemetryEvent.Builder b = TelemetryEvent.builder().agentId("flow").sequence(i).entityId("host:10.0.0.1").kind("flow")
                    .timestampNanos(5).label("proto", "tcp");
            for (int m = 0; m < names.size(); m++) {
                b.metric(names.get(m), m * 1.5 + i);
            }
            TelemetryEvent event = b.build();
            decoded[i] = codec.decode("flow", codec.encode(event));
            assertEquals(event, decoded[i]);
        }
        assertTrue(decoded[0].metricNames() == decoded[1].metricNames(), "one MetricNames for every full flow record");
        TelemetryEvent partial = codec.decode("flow", codec.encode(flow(8)));
        assertEquals(flow(8), partial);
        assertFalse(partial.metricNames() == decoded[0].metricNames());
    }

    @Test
    void vendorKindsTravelInTheExtraMaps() {
        TelemetryEvent event = TelemetryEvent.builder().agentId("x").sequence(1).entityId("e").kind("acme-meter")
                .timestampNanos(5).label("site", "north").metric("volts", 229.5).build();
        Event wire = codec.encode(event);
        assertEquals(Event.PayloadCase.PAYLOAD_NOT_SET, wire.getPayloadCase());
        assertEquals(event, codec.decode("x", wire));
    }

    @Test
    void everyTypedKindIsAnEventKind() {
        assertEquals(java.util.Set.of("process", "snmp", "flow", "iot", "arp", "dhcp", "dns"), codec.typedKinds());
    }

    @Test
    void aSignatureVerifiesOnlyForItsBodyAndKey() {
        KeyPair pair = Ed25519Keys.generate();
        EnvelopeSigner signer = new EnvelopeSigner(pair);
        EnvelopeBody body = codec.body("flow", 1, 42, List.of(flow(1), flow(2)));
        Envelope envelope = signer.sign(body);
        assertEquals(64, envelope.getSignature().size());
        assertTrue(SignatureCheck.verify(envelope, pair.getPublic()));

        byte[] tampered = envelope.getBody().toByteArray();
        tampered[tampered.length - 1] ^= 1;
        assertFalse(SignatureCheck.verify(envelope.toBuilder().setBody(ByteString.copyFrom(tampered)).build(), pair.getPublic()));
        assertFalse(SignatureCheck.verify(envelope, Ed25519Keys.generate().getPublic()), "another key");
        assertFalse(SignatureCheck.verify(envelope.toBuilder().setKeyId("0000000000000000").build(), pair.getPublic()),
                "the key id is inside the signed bytes");
        assertFalse(SignatureCheck.verify(envelope.toBuilder().setSignature(ByteString.copyFrom(new byte[12])).build(), pair.getPublic()));
    }

    @Test
    void agentsSignTheDigestAndBodiesSignedWholeStillVerify() throws Exception {
        KeyPair pair = Ed25519Keys.generate();
        EnvelopeSigner signer = new EnvelopeSigner(pair);
        EnvelopeBody body = codec.body("flow", 1, 42, List.of(flow(1), flow(2)));
        Envelope v2 = signer.sign(body);
        assertEquals(CanonicalBytes.V2, v2.getSignatureVersion());
        assertTrue(SignatureCheck.verify(v2, pair.getPublic()));
        // The digest is over the bytes as sent, however protobuf holds them (one array or a rope of pieces).
        ByteString bytes = body.toByteString();
        ByteString rope = bytes.substring(0, 150).concat(bytes.substring(150));
        assertTrue(bytes.size() > 300 && rope.asReadOnlyByteBufferList().size() == 2, "a rope of two pieces");
        assertEquals(v2.getSignature(), signer.sign(rope).getSignature(), "Ed25519 is deterministic: same canonical bytes");

        Envelope v1 = signedWhole(pair, signer.keyId(), bytes);
        assertTrue(SignatureCheck.verify(v1, pair.getPublic()), "an older agent's envelope, signature_version unset");
        assertTrue(SignatureCheck.verify(v1.toBuilder().setSignatureVersion(CanonicalBytes.V1).build(), pair.getPublic()));

        assertFalse(SignatureCheck.verify(v2.toBuilder().setSignatureVersion(CanonicalBytes.V1).build(), pair.getPublic()),
                "a digest signature read as a whole-body one");
        assertFalse(SignatureCheck.verify(v1.toBuilder().setSignatureVersion(CanonicalBytes.V2).build(), pair.getPublic()),
                "a whole-body signature read as a digest one");
        Envelope unknown = v2.toBuilder().setSignatureVersion(3).build();
        assertFalse(SignatureCheck.knowsVersion(unknown));
        assertFalse(SignatureCheck.verify(unknown, pair.getPublic()));
        byte[] tampered = bytes.toByteArray();
        tampered[tampered.length / 2] ^= 1;
        assertFalse(SignatureCheck.verify(v2.toBuilder().setBody(ByteString.copyFrom(tampered)).build(), pair.getPublic()));
        assertFalse(SignatureCheck.verify(v2.toBuilder().setKeyId("0000000000000000").build(), pair.getPublic()));
    }

    /** An envelope as agents signed it before signature version 2: Ed25519 over the whole body, no version set. */
    static Envelope signedWhole(KeyPair pair, String keyId, ByteString body) throws Exception {
        java.security.Signature signature = java.security.Signature.getInstance(Ed25519Keys.ALGORITHM);
        signature.initSign(pair.getPrivate());
        signature.update(CanonicalBytes.of(keyId, body.toByteArray()));
        return Envelope.newBuilder().setBody(body).setKeyId(keyId).setSignature(ByteString.copyFrom(signature.sign())).build();
    }

    @Test
    void keysSurviveTheirFileAndStayPrivate(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys/agent.key");
        KeyPair made = Ed25519Keys.loadOrCreate(file);
        KeyPair read = Ed25519Keys.loadOrCreate(file);
        assertEquals(Ed25519Keys.keyId(made.getPublic()), Ed25519Keys.keyId(read.getPublic()));
        assertEquals(16, Ed25519Keys.keyId(made.getPublic()).length());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Envelope signed = new EnvelopeSigner(read).sign(codec.body("a", 1, 1, List.of(flow(1))));
        assertTrue(SignatureCheck.verify(signed, Ed25519Keys.decodePublic(Ed25519Keys.encodePublic(made.getPublic()))));
    }
}
