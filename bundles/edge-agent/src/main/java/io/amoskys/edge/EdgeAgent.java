package io.amoskys.edge;

import io.amoskys.schema.Ed25519Keys;
import io.amoskys.schema.EnvelopeSigner;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.PrintStream;
import java.security.KeyPair;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * One edge agent: a source feeding the batcher, which signs and spools envelopes, and the uplink
 * sending the spool to the server. {@link #run} completes once the source has ended and the
 * server has answered for everything spooled.
 */
public final class EdgeAgent implements AutoCloseable {
    private final PrintStream log;
    private final Counters counters = new Counters();
    private final Spool spool;
    private final EventLoopGroup network;
    private final ScheduledExecutorService uplinkThread = Executors.newSingleThreadScheduledExecutor(daemon("edge-agent-uplink"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("edge-agent-timer"));
    private final Uplink uplink;
    private final Batcher batcher;
    private final CompletableFuture<Void> collected = new CompletableFuture<>();
    private final CompletableFuture<Counters> done = new CompletableFuture<>();

    public EdgeAgent(Options options, PrintStream log) throws BadArgumentException, IOException {
        this.log = log;
        SslContext tls = ClientTls.context(options.ca(), options.certificate(), options.key());
        KeyPair signingKey;
        // Made only by --print-key, whose output the operator enrolls: a mistyped path here must
        // not quietly make a key the bus has never seen and have the whole spool refused.
        if (!java.nio.file.Files.isRegularFile(options.signingKey())) {
            throw new BadArgumentException("--signing-key " + options.signingKey() + " does not exist: make it with --print-key "
                    + "and enroll the public key it prints (amoskys:keys enroll)");
        }
        try {
            signingKey = Ed25519Keys.loadOrCreate(options.signingKey());
        } catch (IOException e) {
            throw new BadArgumentException("cannot read --signing-key " + options.signingKey() + ": " + e.getMessage());
        }
        // A new spool numbers from now in microseconds: an agent whose spool was lost (a reinstalled
        // host) must not reuse sequences the bus holds, which it would refuse as sequence-reused.
        spool = Spool.open(options.spool(), options.spoolMaxBytes(), firstSequence(System.currentTimeMillis(), log), log::println);
        network = new MultiThreadIoEventLoopGroup(1, daemon("edge-agent-io"), NioIoHandler.newFactory());
        String server = options.host() + ":" + options.port();
        uplink = new Uplink(spool, () -> channel(options, tls), uplinkThread, options.window(),
                options.reconnectMaxMillis(), counters, log, server);
        batcher = new Batcher(options.agentId(), new EnvelopeSigner(signingKey), spool, options.batch(),
                options.maxEnvelopeBytes(), options.lingerMillis(), timer, Clock.systemUTC(), counters,
                uplink::spooled, done::completeExceptionally, log);
    }

    /** Earliest wall time a new spool numbers from: a clock before it is unset (a host just booted without NTP). */
    static final long SEQUENCE_FLOOR_MILLIS = java.time.Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    static long firstSequence(long nowMillis, PrintStream log) {
        if (nowMillis < SEQUENCE_FLOOR_MILLIS) {
            log.println("edge-agent: the clock says " + java.time.Instant.ofEpochMilli(nowMillis) + ", before 2026: a new spool "
                    + "would number from 2026-01-01 instead; set the clock, or sequences may meet those of a spool made before");
            return SEQUENCE_FLOOR_MILLIS * 1000;
        }
        return nowMillis * 1000;
    }

    private ManagedChannel channel(Options options, SslContext tls) {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(options.host(), options.port())
                .sslContext(tls)
                .eventLoopGroup(network)
                .channelType(NioSocketChannel.class)
                .executor(uplinkThread)
                .disableRetry()
                .keepAliveTime(30, TimeUnit.SECONDS)
                .keepAliveTimeout(10, TimeUnit.SECONDS)
                .maxInboundMessageSize(1 << 20);
        if (options.authority() != null) {
            builder.overrideAuthority(options.authority());
        }
        return builder.build();
    }

    /** Starts sending and runs {@code source} on a thread of its own; completes when all is answered. */
    public CompletableFuture<Counters> run(EventSource source) {
        uplink.drained().whenComplete((v, e) -> {
            counters.dropped.set(spool.dropped());
            if (e != null) {
                done.completeExceptionally(e);
            } else {
                done.complete(counters);
            }
        });
        uplink.start();
        Thread reader = new Thread(() -> {
            try {
                source.run(batcher::add);
                batcher.flush();
                collected.complete(null);
                uplink.finish();
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "edge-agent-source");
        reader.setDaemon(true);
        reader.start();
        return done;
    }

    /** Completes when the source has ended and every event it gave is in the spool. */
    public CompletableFuture<Void> collected() {
        return collected;
    }

    public Counters counters() {
        counters.dropped.set(spool.dropped());
        return counters;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    /** Envelopes in the spool that the server has not answered for. */
    public long pending() {
        return spool.pending();
    }

    /** Spools what the batcher still holds, so that a stop loses nothing collected. */
    void flush() throws IOException {
        batcher.flush();
    }

    @Override
    public void close() throws IOException {
        uplink.stop();
        uplinkThread.shutdown();
        timer.shutdownNow();
        try {
            uplinkThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        network.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        spool.close();
    }

    private static ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
