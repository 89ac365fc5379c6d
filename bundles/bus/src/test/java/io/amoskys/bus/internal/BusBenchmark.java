package io.amoskys.bus.internal;

import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.schema.Ed25519Keys;
import io.amoskys.schema.EnvelopeSigner;
import io.amoskys.schema.EventCodec;
import io.amoskys.schema.v1.Ack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark, not a test: sustained ingest into the bus with every signature verified and every
 * acknowledgement after a durable Derby commit, at envelope sizes of 1, 100 and 1000 events.
 * Two agents publish at once, each keeping up to {@value #WINDOW_EVENTS} events (at least 4
 * envelopes) unacknowledged, as an agent with a bounded in-flight window does. Envelopes are signed before the clock starts: signing is the agents'
 * cost, on their own machines. Prints the table kept in docs/PERFORMANCE.md.
 *
 * <pre>mvn -o test -pl bundles/bus -Dtest=BusBenchmark -Damoskys.benchmark=true</pre>
 */
@EnabledIfSystemProperty(named = "amoskys.benchmark", matches = "true")
class BusBenchmark {
    private static final int WINDOW_EVENTS = 8192;
    private static final int AGENTS = 2;
    private static final long EVENTS_PER_RUN = 400_000;

    @Test
    void sustainedIngest() throws Exception {
        System.out.printf("%n| envelope size (events) | envelopes | events/s | envelopes/s | ack p50 ms | ack p99 ms |%n");
        System.out.printf("|---:|---:|---:|---:|---:|---:|%n");
        for (String size : System.getProperty("amoskys.benchmark.batches", "1,100,1000").split(",")) {
            int batch = Integer.parseInt(size.strip());
            run(batch, batch == 1 ? 20_000 : EVENTS_PER_RUN);
        }
    }

    private void run(int batch, long events) throws Exception {
        Path dir = Files.createTempDirectory("amoskys-bus-bench");
        TestConfig config = new TestConfig(dir);
        BusService bus = new BusService(config);
        try {
            int envelopesPerAgent = (int) (events / batch / AGENTS);
            List<List<byte[]>> signed = new ArrayList<>();
            for (int a = 0; a < AGENTS; a++) {
                KeyPair key = Ed25519Keys.generate();
                bus.trust().enroll("bench-" + a, key.getPublic());
                signed.add(sign("bench-" + a, new EnvelopeSigner(key), batch, envelopesPerAgent));
            }
            long[][] latencies = new long[AGENTS][envelopesPerAgent];
            List<Thread> agents = new ArrayList<>();
            long started = System.nanoTime();
            for (int a = 0; a < AGENTS; a++) {
                int agent = a;
                Thread t = new Thread(() -> publish(bus, signed.get(agent), latencies[agent], Math.max(4, WINDOW_EVENTS / batch)));
                agents.add(t);
                t.start();
            }
            for (Thread t : agents) {
                t.join();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
            long envelopes = (long) envelopesPerAgent * AGENTS;
            if (bus.log().storedEnvelopes() != envelopes) {
                throw new IllegalStateException("stored " + bus.log().storedEnvelopes() + " of " + envelopes);
            }
            System.out.printf("| %d | %d | %,.0f | %,.0f | %.2f | %.2f |%n", batch, envelopes, envelopes * batch / seconds,
                    envelopes / seconds, all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6);
        } finally {
            bus.deactivate();
        }
    }

    private static List<byte[]> sign(String agent, EnvelopeSigner signer, int batch, int envelopes) {
        EventCodec codec = new EventCodec();
        List<byte[]> out = new ArrayList<>(envelopes);
        long now = System.currentTimeMillis() * 1_000_000L;
        long eventSeq = 0;
        for (int e = 1; e <= envelopes; e++) {
            List<TelemetryEvent> events = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                // A flow record's worth of fields: what the busiest agent sends.
                events.add(TelemetryEvent.builder().agentId(agent).sequence(eventSeq++).entityId("10.0.0." + (i % 250))
                        .kind("flow").timestampNanos(now).label("src", "10.0.0." + (i % 250) + ":40000")
                        .label("dst", "10.0.1.1:443").label("proto", "tcp").label("end", "fin")
                        .metric("packets_fwd", 10).metric("packets_rev", 8).metric("bytes_fwd", 1500)
                        .metric("bytes_rev", 9000).metric("duration_s", 0.25).metric("syn_fwd", 1).metric("fin_fwd", 1).build());
            }
            out.add(signer.sign(codec.body(agent, e, now, events)).toByteArray());
        }
        return out;
    }

    private static void publish(BusService bus, List<byte[]> envelopes, long[] latencies, int windowEnvelopes) {
        Semaphore window = new Semaphore(windowEnvelopes);
        List<CompletableFuture<Ack>> pending = new ArrayList<>(envelopes.size());
        for (int i = 0; i < envelopes.size(); i++) {
            window.acquireUninterruptibly();
            int index = i;
            long sent = System.nanoTime();
            pending.add(bus.ingest(envelopes.get(i), "bench", null).whenComplete((ack, failure) -> {
                latencies[index] = System.nanoTime() - sent;
                window.release();
                if (failure != null || ack.getStatus() != Ack.Status.ACCEPTED) {
                    throw new IllegalStateException("envelope " + index + ": " + (failure != null ? failure : ack));
                }
            }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).orTimeout(10, TimeUnit.MINUTES).join();
    }
}
