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
 * publisher pays to write and sign one): protobuf's
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

    /**
     * What the signature costs per event on the same body, signed by the publisher and verified by
     * a bus that receives it from a remote agent: signature version 1 (Ed25519 over the whole
     * body, which it hashes twice with SHA-512 to sign, once to verify) against version 2 (one
     * SHA-256 pass, then Ed25519 over 90 bytes). Fewer bodies a round: a signature costs
     * milliseconds.
     */
    @Test
    void signingABodyOfFlows() throws Exception {
        assumeTrue(Boolean.getBoolean("amoskys.benchmark"), "benchmarks run with -Damoskys.benchmark=true");
        ByteString body = new EventCodec().bodyBytes("flow", 1, 5, flows());
        java.security.KeyPair pair = Ed25519Keys.generate();
        EnvelopeSigner signer = new EnvelopeSigner(pair);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int bodies = 10;
        double[][] perEvent = new double[4][TIMED];
        int verified = 0;
        for (int round = 0; round < WARM_UP + TIMED; round++) {
            long[] at = new long[5];
            at[0] = threads.getCurrentThreadCpuTime();
            io.amoskys.schema.v1.Envelope whole = null;
            for (int b = 0; b < bodies; b++) {
                whole = EnvelopeTest.signedWhole(pair, signer.keyId(), body);
            }
            at[1] = threads.getCurrentThreadCpuTime();
            io.amoskys.schema.v1.Envelope digest = null;
            for (int b = 0; b < bodies; b++) {
                digest = signer.sign(body);
            }
            at[2] = threads.getCurrentThreadCpuTime();
            for (int b = 0; b < bodies; b++) {
                verified += SignatureCheck.verify(whole, pair.getPublic()) ? 1 : 0;
            }
            at[3] = threads.getCurrentThreadCpuTime();
            for (int b = 0; b < bodies; b++) {
                verified += SignatureCheck.verify(digest, pair.getPublic()) ? 1 : 0;
            }
            at[4] = threads.getCurrentThreadCpuTime();
            if (round >= WARM_UP) {
                for (int path = 0; path < 4; path++) {
                    perEvent[path][round - WARM_UP] = (at[path + 1] - at[path]) / 1e3 / bodies / EVENTS;
                }
            }
        }
        assertEquals(2 * (WARM_UP + TIMED) * bodies, verified, "every signature verified");
        System.out.printf("%nbody of %d flows, %d bytes%n| path | µs of CPU per event (median of %d rounds) | best round | ms per envelope (median) |%n"
                + "|---|---:|---:|---:|%n", EVENTS, body.size(), TIMED);
        String[] names = {"sign, version 1 (whole body)", "sign, version 2 (SHA-256 digest)", "verify, version 1", "verify, version 2"};
        for (int path = 0; path < 4; path++) {
            System.out.printf("| %s | %.2f | %.2f | %.2f |%n", names[path], median(perEvent[path]), min(perEvent[path]),
                    median(perEvent[path]) * EVENTS / 1e3);
        }
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
