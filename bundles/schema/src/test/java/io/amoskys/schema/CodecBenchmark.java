package io.amoskys.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.amoskys.api.event.MetricNames;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.schema.v1.EnvelopeBody;
import io.amoskys.schema.v1.Event;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a route's reader pays to turn a stored envelope body back into events (and, below, what a
 * publisher pays to write one): protobuf's
 * generated parser and {@link EventCodec#decode} per event (reflection per payload field), against
 * {@link EventCodec#decodeEvents} straight from the bytes. The body is what the flow agent
 * publishes: 2048 flow records, each with the labels of a TCP flow and every metric. Both paths take turns
 * in rounds; the figure is the thread's CPU time per event, median of the timed rounds.
 * Runs only with -Damoskys.benchmark=true.
 */
class CodecBenchmark {
    private static final int EVENTS = 2048;
    private static final int BODIES_PER_ROUND = 100;
    private static final int WARM_UP = 10;
    private static final int TIMED = 21;

    @Test
    void decodingABodyOfFlows() throws Exception {
        assumeTrue(Boolean.getBoolean("amoskys.benchmark"), "benchmarks run with -Damoskys.benchmark=true");
        EventCodec codec = new EventCodec();
        ByteString body = codec.body("flow", 1, 5, flows()).toByteString();
        Set<String> kinds = Set.of("flow", "arp", "dhcp", "dns");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] messages = new double[TIMED];
        double[] wire = new double[TIMED];
        long[] sink = new long[1];
        for (int round = 0; round < WARM_UP + TIMED; round++) {
            long start = threads.getCurrentThreadCpuTime();
            for (int b = 0; b < BODIES_PER_ROUND; b++) {
                for (Event event : EnvelopeBody.parseFrom(body).getEventsList()) {
                    if (kinds.contains(event.getKind())) {
                        sink[0] += codec.decode("flow", event).sequence();
                    }
                }
            }
            long middle = threads.getCurrentThreadCpuTime();
            for (int b = 0; b < BODIES_PER_ROUND; b++) {
                codec.decodeEvents("flow", body, kinds, (index, event) -> sink[0] += event.sequence());
            }
            long end = threads.getCurrentThreadCpuTime();
            if (round >= WARM_UP) {
                messages[round - WARM_UP] = (middle - start) / 1e3 / BODIES_PER_ROUND / EVENTS;
                wire[round - WARM_UP] = (end - middle) / 1e3 / BODIES_PER_ROUND / EVENTS;
            }
        }
        assertEquals(2L * (WARM_UP + TIMED) * BODIES_PER_ROUND * (EVENTS * (EVENTS + 1L) / 2), sink[0], "every event decoded");
        System.out.printf("%n| path | µs of CPU per event (median of %d rounds) | best round |%n|---|---:|---:|%n", TIMED);
        System.out.printf("| generated parser, then EventCodec.decode per event | %.2f | %.2f |%n", median(messages), min(messages));
        System.out.printf("| EventCodec.decodeEvents, straight from the bytes | %.2f | %.2f |%n", median(wire), min(wire));
    }

    /**
     * The other side: what an agent's publisher pays to write a body of the same flows, through
     * the messages ({@link EventCodec#body}, protobuf's reflection per payload field, then its
     * serializer) against {@link EventCodec#bodyBytes} straight from the events. Same bytes.
     */
    @Test
    void encodingABodyOfFlows() {
        assumeTrue(Boolean.getBoolean("amoskys.benchmark"), "benchmarks run with -Damoskys.benchmark=true");
        EventCodec codec = new EventCodec();
        List<TelemetryEvent> flows = flows();
        assertEquals(codec.body("flow", 1, 5, flows).toByteString(), codec.bodyBytes("flow", 1, 5, flows));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] messages = new double[TIMED];
        double[] wire = new double[TIMED];
        long sink = 0;
        for (int round = 0; round < WARM_UP + TIMED; round++) {
            long start = threads.getCurrentThreadCpuTime();
            for (int b = 0; b < BODIES_PER_ROUND; b++) {
                sink += codec.body("flow", b, 5, flows).toByteString().size();
            }
            long middle = threads.getCurrentThreadCpuTime();
            for (int b = 0; b < BODIES_PER_ROUND; b++) {
                sink -= codec.bodyBytes("flow", b, 5, flows).size();
            }
            long end = threads.getCurrentThreadCpuTime();
            if (round >= WARM_UP) {
                messages[round - WARM_UP] = (middle - start) / 1e3 / BODIES_PER_ROUND / EVENTS;
                wire[round - WARM_UP] = (end - middle) / 1e3 / BODIES_PER_ROUND / EVENTS;
            }
        }
        assertEquals(0, sink, "both paths wrote bodies of the same sizes");
        System.out.printf("%n| path | µs of CPU per event (median of %d rounds) | best round |%n|---|---:|---:|%n", TIMED);
        System.out.printf("| EventCodec.body (messages through reflection), then protobuf's serializer | %.2f | %.2f |%n",
                median(messages), min(messages));
        System.out.printf("| EventCodec.bodyBytes, straight from the events | %.2f | %.2f |%n", median(wire), min(wire));
    }

    /** Flow records as the flow agent makes them: every metric, on one MetricNames. */
    private static List<TelemetryEvent> flows() {
        List<String> names = new ArrayList<>();
        for (FieldDescriptor f : Event.getDescriptor().findFieldByName("flow").getMessageType().getFields()) {
            if (f.getJavaType() == FieldDescriptor.JavaType.DOUBLE) {
                names.add(f.getName());
            }
        }
        MetricNames metricNames = MetricNames.of(names.toArray(String[]::new));
        Random random = new Random(3);
        List<TelemetryEvent> events = new ArrayList<>(EVENTS);
        for (int i = 1; i <= EVENTS; i++) {
            double[] values = new double[metricNames.size()];
            for (int j = 0; j < values.length; j++) {
                values[j] = random.nextInt(100_000);
            }
            String host = "10.0." + random.nextInt(250) + "." + random.nextInt(250);
            events.add(TelemetryEvent.builder().agentId("flow").sequence(i).entityId(host).kind("flow")
                    .timestampNanos(1_700_000_000_000_000_000L + i * 1000L).label("source", "capture")
                    .label("src", host).label("dst", "192.168.1.10").label("proto", "tcp")
                    .label("sport", Integer.toString(1024 + i)).label("dport", "443").label("app", "https")
                    .label("end", "fin").metrics(metricNames, values).build());
        }
        return events;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }
}
