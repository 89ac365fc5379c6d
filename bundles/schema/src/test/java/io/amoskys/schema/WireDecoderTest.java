package io.amoskys.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.schema.v1.EnvelopeBody;
import io.amoskys.schema.v1.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link EventCodec#decodeEvents} (straight from the bytes) against protobuf's generated parser
 * followed by {@link EventCodec#decode}: the same events on random bodies of every kind, and on
 * bytes that protobuf's own writer would not make (fields out of order, repeated, unknown).
 */
class WireDecoderTest {
    private final EventCodec codec = new EventCodec();
    private final Random random = new Random(11);

    private List<TelemetryEvent> viaMessages(String agent, ByteString body, Set<String> wanted) throws InvalidProtocolBufferException {
        List<TelemetryEvent> out = new ArrayList<>();
        for (Event event : EnvelopeBody.parseFrom(body).getEventsList()) {
            if (wanted.isEmpty() || wanted.contains(event.getKind())) {
                out.add(codec.decode(agent, event));
            }
        }
        return out;
    }

    private List<TelemetryEvent> viaWire(String agent, ByteString body, Set<String> wanted) throws InvalidProtocolBufferException {
        List<TelemetryEvent> out = new ArrayList<>();
        codec.decodeEvents(agent, body, wanted, (index, event) -> out.add(event));
        return out;
    }

    private TelemetryEvent randomEvent(long sequence) {
        return RandomEvents.event(codec, random, sequence);
    }

    @Test
    void randomBodiesDecodeToTheSameEventsEitherWay() throws Exception {
        for (int round = 0; round < 300; round++) {
            List<TelemetryEvent> events = new ArrayList<>();
            for (int i = 1 + random.nextInt(40); i > 0; i--) {
                events.add(randomEvent(round * 100L + i));
            }
            ByteString body = codec.body("agent-" + round, round, 5, events).toByteString();
            Set<String> wanted = random.nextBoolean() ? Set.of() : Set.of("flow", "dns", "acme-meter");
            List<TelemetryEvent> expected = viaMessages("agent-" + round, body, wanted);
            List<TelemetryEvent> actual = viaWire("agent-" + round, body, wanted);
            assertEquals(expected, actual);
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i).metricNames(), actual.get(i).metricNames());
                if (expected.get(i).metricNames() == codec.decode("x", codec.encode(expected.get(i))).metricNames()) {
                    assertSame(expected.get(i).metricNames(), actual.get(i).metricNames(), "full payloads share their names");
                }
            }
        }
    }

    @Test
    void payloadLabelNamesAreTheLiteralsAgentsAndStagesUse() throws Exception {
        TelemetryEvent flow = TelemetryEvent.builder().agentId("a").entityId("host:10.0.0.1").kind("flow").sequence(1)
                .label("src", "10.0.0.1").label("dst", "10.0.0.2").label("dport", "22").metric("packets_fwd", 3).build();
        List<TelemetryEvent> decoded = viaWire("a", codec.body("a", 1, 5, List.of(flow)).toByteString(), Set.of());
        assertEquals(List.of(flow), decoded);
        for (String literal : List.of("src", "dst", "dport")) {
            // lookups by these literals then end at the first identical name (TelemetryEvent's label view)
            String name = decoded.get(0).labels().keySet().stream().filter(literal::equals).findFirst().orElseThrow();
            assertSame(literal, name, literal);
        }
    }

    @Test
    void indexesCountEveryEventOfTheBodyWantedOrNot() throws Exception {
        List<TelemetryEvent> events = List.of(randomEvent(1), randomEvent(2), randomEvent(3), randomEvent(4));
        ByteString body = codec.body("a", 1, 5, events).toByteString();
        List<Integer> indexes = new ArrayList<>();
        codec.decodeEvents("a", body, Set.of(events.get(2).kind()), (index, event) -> indexes.add(index));
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).kind().equals(events.get(2).kind())) {
                expected.add(i);
            }
        }
        assertEquals(expected, indexes);
    }

    /** Event fields in reverse order, the payload sent twice (merged), a map key twice, unknown fields everywhere. */
    @Test
    void bytesProtobufWouldNotWriteStillDecodeAsTheGeneratedParserReadsThem() throws Exception {
        ByteArrayOutputStream flowA = new ByteArrayOutputStream();
        CodedOutputStream f = CodedOutputStream.newInstance(flowA);
        f.writeString(fieldNumber("flow", "proto"), "tcp");
        f.writeDouble(fieldNumber("flow", "packets_fwd"), 3);
        f.writeString(900, "unknown in the payload");
        f.flush();
        ByteArrayOutputStream flowB = new ByteArrayOutputStream();
        f = CodedOutputStream.newInstance(flowB);
        f.writeDouble(fieldNumber("flow", "packets_fwd"), 4); // the later value wins
        f.writeFixed32(fieldNumber("flow", "bytes_fwd"), 7); // wrong wire type: skipped
        f.flush();
        ByteArrayOutputStream event = new ByteArrayOutputStream();
        CodedOutputStream e = CodedOutputStream.newInstance(event);
        e.writeBytes(Event.EXTRA_LABELS_FIELD_NUMBER, mapEntry("site", "north"));
        e.writeBytes(Event.EXTRA_LABELS_FIELD_NUMBER, mapEntry("site", "south"));
        e.writeBytes(Event.FLOW_FIELD_NUMBER, ByteString.copyFrom(flowA.toByteArray()));
        e.writeUInt64(77, 123); // unknown
        e.writeBytes(Event.FLOW_FIELD_NUMBER, ByteString.copyFrom(flowB.toByteArray()));
        e.writeUInt64(Event.EVENT_SEQUENCE_FIELD_NUMBER, 42);
        e.writeString(Event.KIND_FIELD_NUMBER, "flow");
        e.writeInt64(Event.TIMESTAMP_NS_FIELD_NUMBER, -5);
        e.writeString(Event.ENTITY_ID_FIELD_NUMBER, "first");
        e.writeString(Event.ENTITY_ID_FIELD_NUMBER, "second");
        e.flush();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(body);
        out.writeString(EnvelopeBody.AGENT_ID_FIELD_NUMBER, "a");
        out.writeBytes(EnvelopeBody.EVENTS_FIELD_NUMBER, ByteString.copyFrom(event.toByteArray()));
        out.writeString(99, "unknown in the body");
        out.flush();
        ByteString bytes = ByteString.copyFrom(body.toByteArray());
        List<TelemetryEvent> expected = viaMessages("a", bytes, Set.of());
        assertEquals(expected, viaWire("a", bytes, Set.of()));
        assertEquals("second", expected.get(0).entityId());
        assertEquals(4.0, expected.get(0).metrics().get("packets_fwd"));
        assertEquals("south", expected.get(0).labels().get("site"));
    }

    @Test
    void truncatedOrForeignBytesAreRefused() {
        ByteString body = codec.body("a", 1, 5, List.of(randomEvent(1), randomEvent(2))).toByteString();
        ByteString cut = body.substring(0, body.size() - 3);
        assertThrows(InvalidProtocolBufferException.class, () -> EnvelopeBody.parseFrom(cut));
        assertThrows(InvalidProtocolBufferException.class, () -> viaWire("a", cut, Set.of()));
        ByteString badUtf8 = ByteString.copyFrom(new byte[] {0x2a, 0x04, 0x0a, 0x02, (byte) 0xc3, 0x28});
        assertThrows(InvalidProtocolBufferException.class, () -> EnvelopeBody.parseFrom(badUtf8));
        assertThrows(InvalidProtocolBufferException.class, () -> viaWire("a", badUtf8, Set.of()));
    }

    private static int fieldNumber(String payload, String field) {
        return Event.getDescriptor().findFieldByName(payload).getMessageType().findFieldByName(field).getNumber();
    }

    private static ByteString mapEntry(String key, String value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeString(1, key);
        out.writeString(2, value);
        out.flush();
        return ByteString.copyFrom(bytes.toByteArray());
    }
}
