package io.amoskys.bus.grpc;

import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.bus.internal.BusConfig;
import io.amoskys.bus.internal.BusService;
import io.amoskys.schema.Ed25519Keys;
import io.amoskys.schema.EnvelopeSigner;
import io.amoskys.schema.EventCodec;
import io.amoskys.schema.v1.Ack;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.lang.annotation.Annotation;
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
 * Benchmark, not a test: the bus's sustained ingest over gRPC with mutual TLS on loopback, the
 * same work as {@code BusBenchmark} (every signature verified, every ack after a durable Derby
 * commit) plus TLS, HTTP/2 and the stream's flow control. Two agents, one stream each, each with
 * up to 8192 events (at least 4 envelopes) unacknowledged. Client and server share the 2 cores.
 *
 * <pre>mvn -o test -pl bundles/bus-grpc -Dtest=GrpcBenchmark -Damoskys.benchmark=true</pre>
 */
@EnabledIfSystemProperty(named = "amoskys.benchmark", matches = "true")
class GrpcBenchmark {
    private static final int AGENTS = 2;
    private static final int WINDOW_EVENTS = 8192;

    @Test
    void sustainedIngestOverMutualTls() throws Exception {
        System.out.printf("%n| envelope size (events) | envelopes | events/s | envelopes/s | ack p50 ms | ack p99 ms |%n");
        System.out.printf("|---:|---:|---:|---:|---:|---:|%n");
        for (String size : System.getProperty("amoskys.benchmark.batches", "1,100,1000").split(",")) {
            int batch = Integer.parseInt(size.strip());
            run(batch, batch == 1 ? 20_000 : 400_000);
        }
    }

    private void run(int batch, long events) throws Exception {
        Path dir = Files.createTempDirectory("amoskys-grpc-bench");
        System.setProperty("derby.stream.error.file", dir.resolve("derby.log").toString());
        BusService bus = new BusService(new Config(dir));
        CertificateAuthority ca = new CertificateAuthority(dir.resolve("tls"));
        ca.init(List.of(), 30, false);
        IngestServer server = IngestServer.start(new IngestServer.Settings("127.0.0.1", 0, dir.resolve("tls"), 256, 16),
                bus, new GrpcMetrics());
        try {
            int envelopesPerAgent = (int) (events / batch / AGENTS);
            // At most the server's own window (256), or envelopes would wait in the client unseen.
            int window = Math.min(256, Math.max(4, WINDOW_EVENTS / batch));
            List<Agent> agents = new ArrayList<>();
            for (int a = 0; a < AGENTS; a++) {
                String name = "bench-" + a;
                KeyPair key = Ed25519Keys.generate();
                bus.trust().enroll(name, key.getPublic());
                CertificateAuthority.AgentFiles files = ca.issueAgent(name, dir.resolve(name), 30);
                agents.add(new Agent(server.port(), files, sign(name, new EnvelopeSigner(key), batch, envelopesPerAgent), window));
            }
            long started = System.nanoTime();
            List<CompletableFuture<Void>> done = agents.stream().map(Agent::start).toList();
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - started) / 1e9;
            long[] all = agents.stream().flatMapToLong(a -> Arrays.stream(a.latencies)).sorted().toArray();
            long envelopes = (long) envelopesPerAgent * AGENTS;
            if (bus.log().storedEnvelopes() != envelopes) {
                throw new IllegalStateException("stored " + bus.log().storedEnvelopes() + " of " + envelopes);
            }
            System.out.printf("| %d | %d | %,.0f | %,.0f | %.2f | %.2f |%n", batch, envelopes, envelopes * batch / seconds,
                    envelopes / seconds, all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6);
            for (Agent a : agents) {
                a.close();
            }
        } finally {
            server.close();
            bus.deactivate();
        }
    }

    /** One remote agent: one stream, envelopes pre-signed, a window of unacknowledged ones. */
    private static final class Agent {
        final ManagedChannel channel;
        final List<byte[]> envelopes;
        final long[] latencies;
        final long[] sentAt;
        final Semaphore window;

        Agent(int port, CertificateAuthority.AgentFiles files, List<byte[]> envelopes, int window) throws Exception {
            SslContextBuilder tls = SslContextBuilder.forClient().trustManager(files.ca().toFile())
                    .keyManager(files.certificate().toFile(), files.key().toFile());
            this.channel = NettyChannelBuilder.forAddress("localhost", port)
                    .sslContext(GrpcSslContexts.configure(tls, SslProvider.JDK).build()).build();
            this.envelopes = envelopes;
            this.latencies = new long[envelopes.size()];
            this.sentAt = new long[envelopes.size()];
            this.window = new Semaphore(window);
        }

        CompletableFuture<Void> start() {
            CompletableFuture<Void> done = new CompletableFuture<>();
            ClientCall<byte[], Ack> call = channel.newCall(PublishMethod.DESCRIPTOR, CallOptions.DEFAULT);
            call.start(new ClientCall.Listener<>() {
                private int answered;

                @Override
                public void onMessage(Ack ack) {
                    int i = (int) ack.getSequence() - 1;
                    latencies[i] = System.nanoTime() - sentAt[i];
                    if (ack.getStatus() != Ack.Status.ACCEPTED) {
                        done.completeExceptionally(new IllegalStateException(ack.toString()));
                    }
                    window.release();
                    if (++answered == envelopes.size()) {
                        synchronized (call) {
                            call.halfClose();
                        }
                    }
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                    if (status.isOk()) {
                        done.complete(null);
                    } else {
                        done.completeExceptionally(status.asException());
                    }
                }
            }, new Metadata());
            call.request(Integer.MAX_VALUE);
            Thread sender = new Thread(() -> {
                for (int i = 0; i < envelopes.size(); i++) {
                    window.acquireUninterruptibly();
                    sentAt[i] = System.nanoTime();
                    synchronized (call) {
                        call.sendMessage(envelopes.get(i));
                    }
                }
            });
            sender.start();
            return done;
        }

        void close() throws InterruptedException {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
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

    /** The bus's defaults, in a temporary folder. */
    private record Config(Path dir) implements BusConfig {
        @Override public Class<? extends Annotation> annotationType() { return BusConfig.class; }
        @Override public String logDir() { return dir.resolve("data").toString(); }
        @Override public String trustDir() { return dir.resolve("etc").toString(); }
        @Override public int maxEnvelopeBytes() { return 4 << 20; }
        @Override public int maxEventsPerEnvelope() { return 10_000; }
        @Override public long replayWindowSeconds() { return 3600; }
        @Override public long maxClockSkewSeconds() { return 300; }
        @Override public int queueCapacity() { return 8192; }
        @Override public long queueMaxBytes() { return 256L << 20; }
        @Override public int maxCommitEnvelopes() { return 4096; }
        @Override public long retentionHours() { return 24; }
        @Override public long retentionMaxBytes() { return 1L << 40; }
        @Override public int quarantineMaxRows() { return 100; }
        @Override public int localBatchEvents() { return 512; }
        @Override public int localLingerMillis() { return 20; }
        @Override public int localBufferEvents() { return 1000; }
    }
}
