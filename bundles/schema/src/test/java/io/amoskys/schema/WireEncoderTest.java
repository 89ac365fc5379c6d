package io.amoskys.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.amoskys.api.event.MetricNames;
import io.amoskys.api.event.TelemetryEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link EventCodec#bodyBytes} (straight from the events) against the messages of
 * {@link EventCodec#body} serialized by protobuf: the same bytes, for random bodies of every kind,
 * events that share a metric layout (as the flow agent's do) with metrics the payload has no
 * field for, and events larger than the encoder's first scratch space.
 */
class WireEncoderTest {
    private final EventCodec codec = new EventCodec();
    private final Random random = new Random(23);

    private void assertSameBytes(String agent, long sequence, long timestamp, List<TelemetryEvent> events) {
        ByteString expected = codec.body(agent, sequence, timestamp, events).toByteString();
        assertEquals(expected, codec.bodyBytes(agent, sequence, timestamp, events), () -> events.toString());
    }

    @Test
    void randomBodiesGiveProtobufsBytes() {
        for (int round = 0; round < 300; round++) {
            List<TelemetryEvent> events = new ArrayList<>();
            for (int i = random.nextInt(8); i >= 0; i--) {
                events.add(RandomEvents.event(codec, random, random.nextInt(3) == 0 ? 0 : round * 100L + i));
            }
            assertSameBytes(round % 7 == 0 ? "" : "agent-" + round, round % 5, round % 3 == 0 ? 0 : random.nextLong(), events);
        }
    }

    @Test
    void eventsOnOneMetricLayoutGiveProtobufsBytes() {
        // Flow metrics and two the flow payload has no field for, sorted as MetricNames keeps them.
        MetricNames names = MetricNames.of("aaa_vendor", "bytes_fwd", "packets_fwd", "zzz_vendor");
        List<TelemetryEvent> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(TelemetryEvent.builder().agentId("flow@vm").sequence(i + 1).kind("flow").entityId("host:10.0.0." + i)
                    .timestampNanos(1_000L * i).label("proto", i % 2 == 0 ? "tcp" : "udp").label("vendor_tag", "t" + i)
                    .metrics(names, new double[] {i, 1500.0 * i, i % 3, -i}).build());
        }
        assertSameBytes("flow@vm", 9, 123, events);
        // Another layout for the same kind afterwards, then the first again.
        MetricNames other = MetricNames.of("packets_rev");
        List<TelemetryEvent> mixed = new ArrayList<>(events.subList(0, 5));
        mixed.add(TelemetryEvent.builder().agentId("flow@vm").sequence(99).kind("flow").entityId("host:h")
                .metrics(other, new double[] {7}).build());
        mixed.addAll(events.subList(5, 10));
        assertSameBytes("flow@vm", 10, 124, mixed);
    }

    @Test
    void eventsLargerThanTheScratchSpaceGiveProtobufsBytes() {
        String long1 = "q".repeat(70_000);
        String long2 = "\u00e9".repeat(40_000); // two bytes each in UTF-8
        List<TelemetryEvent> events = List.of(
                TelemetryEvent.builder().agentId("a").sequence(1).kind("dns").entityId("host:a").label("query", long1).build(),
                TelemetryEvent.builder().agentId("a").sequence(2).kind("acme-meter").entityId("host:b").label(long2, long1)
                        .metric(long2, 1.5).build(),
                RandomEvents.event(codec, random, 3));
        assertSameBytes("a", 1, 2, events);
    }
}
