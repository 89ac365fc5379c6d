package io.amoskys.bus.grpc;

import io.amoskys.bus.Ingest;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.security.GeneralSecurityException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gRPC server of remote ingest: Netty on NIO (no native transport, so it runs the same inside
 * OSGi), TLS from the JDK with client certificates checked against our CA, one
 * {@link PublishCall} per stream. Plain Java: the DS component and the tests both start it.
 */
public final class IngestServer implements AutoCloseable {
    /**
     * Where to listen, the TLS folder (see {@link CertificateAuthority}), flow-control limits (the
     * streams open at once, in all and of one agent, so that one agent's certificate cannot take
     * every place), and how long a connection may be silent before the server pings it (at least
     * 10 s, grpc-java's floor): a peer that does not answer within a tenth of that (at least a
     * second) is dropped with its streams.
     */
    public record Settings(String host, int port, Path tlsDir, int window, int maxStreams, int maxStreamsPerAgent,
                           Duration keepAlive) {
        public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(30);
        public static final int DEFAULT_MAX_STREAMS_PER_AGENT = 4;
        static final Duration MIN_KEEP_ALIVE = Duration.ofSeconds(10);

        public Settings {
            if (window < 1 || maxStreams < 1 || maxStreamsPerAgent < 1) {
                throw new IllegalArgumentException("window, maxStreams and maxStreamsPerAgent must be at least 1");
            }
            if (keepAlive.compareTo(MIN_KEEP_ALIVE) < 0) {
                throw new IllegalArgumentException("keepAlive must be at least " + MIN_KEEP_ALIVE.toSeconds() + " s, was " + keepAlive);
            }
        }

        public Settings(String host, int port, Path tlsDir, int window, int maxStreams) {
            this(host, port, tlsDir, window, maxStreams, DEFAULT_MAX_STREAMS_PER_AGENT, DEFAULT_KEEP_ALIVE);
        }

        Duration keepAliveTimeout() {
            Duration tenth = keepAlive.dividedBy(10);
            return tenth.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : tenth;
        }
    }

    /** A connection without any call this long is closed: it holds a TLS session and a socket for nothing. */
    static final Duration MAX_CONNECTION_IDLE = Duration.ofMinutes(5);

    private final Server server;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ExecutorService executor;

    private IngestServer(Server server, EventLoopGroup boss, EventLoopGroup workers, ExecutorService executor) {
        this.server = server;
        this.boss = boss;
        this.workers = workers;
        this.executor = executor;
    }

    /** Starts listening; the TLS folder must hold ca.crt, server.crt and server.key. */
    public static IngestServer start(Settings settings, Ingest ingest, GrpcMetrics metrics)
            throws IOException, GeneralSecurityException {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        return start(settings, ingest, metrics, Executors.newFixedThreadPool(threads, named("amoskys-grpc-call")));
    }

    /** As {@link #start(Settings, Ingest, GrpcMetrics)}, running calls on {@code executor} (which it shuts down). */
    static IngestServer start(Settings settings, Ingest ingest, GrpcMetrics metrics, ExecutorService executor)
            throws IOException, GeneralSecurityException {
        CertificateAuthority.TlsFiles tls = CertificateAuthority.TlsFiles.in(settings.tlsDir());
        SslContext ssl = GrpcSslContexts.configure(
                        SslContextBuilder.forServer(tls.serverCertificate().toFile(), tls.serverKey().toFile()), SslProvider.JDK)
                .trustManager(new CountingTrustManager(CertificateAuthority.trustManager(tls.ca()), metrics))
                .clientAuth(ClientAuth.OPTIONAL)
                .build();
        ServerServiceDefinition service = ServerServiceDefinition.builder(PublishMethod.SERVICE)
                .addMethod(PublishMethod.DESCRIPTOR,
                        new PublishHandler(ingest, metrics, settings.window(), settings.maxStreams(), settings.maxStreamsPerAgent()))
                .build();
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, named("amoskys-grpc-accept"), NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(0, named("amoskys-grpc-io"), NioIoHandler.newFactory());
        try {
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress(settings.host(), settings.port()))
                    .channelType(NioServerSocketChannel.class)
                    .bossEventLoopGroup(boss)
                    .workerEventLoopGroup(workers)
                    .executor(executor)
                    .sslContext(ssl)
                    .maxInboundMessageSize(inboundLimit(ingest.maxEnvelopeBytes()))
                    .maxConcurrentCallsPerConnection(settings.maxStreams())
                    .permitKeepAliveTime(10, TimeUnit.SECONDS)
                    .permitKeepAliveWithoutCalls(true)
                    // Without its own pings the server keeps a dead agent's streams (each one of
                    // maxStreams, shared by all agents) until grpc-java's default of two hours.
                    .keepAliveTime(settings.keepAlive().toMillis(), TimeUnit.MILLISECONDS)
                    .keepAliveTimeout(settings.keepAliveTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .maxConnectionIdle(MAX_CONNECTION_IDLE.toMillis(), TimeUnit.MILLISECONDS)
                    .addService(ServerInterceptors.intercept(service, new ClientCertificateInterceptor(metrics)))
                    .build()
                    .start();
            return new IngestServer(server, boss, workers, executor);
        } catch (IOException | RuntimeException e) {
            boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            executor.shutdownNow();
            throw e;
        }
    }

    /**
     * Twice the bus's own limit: an envelope somewhat over it still reaches the bus and comes back
     * REJECTED "oversized" on a live stream; only an absurd one ends the stream.
     */
    static int inboundLimit(int maxEnvelopeBytes) {
        return (int) Math.min(Integer.MAX_VALUE - 1024L, 2L * maxEnvelopeBytes + 1024);
    }

    public int port() {
        return server.getPort();
    }

    /** Stops accepting, gives open streams a few seconds to end, then cuts them. */
    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            executor.shutdown();
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
