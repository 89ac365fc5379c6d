package io.amoskys.bus.grpc;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.amoskys.schema.v1.Ack;
import io.amoskys.schema.v1.Envelope;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A raw gRPC client of Publish over mutual TLS; callbacks run on one thread, in order. */
final class TestClient implements AutoCloseable {
    static final long TIMEOUT_SECONDS = 10;

    private final ExecutorService callbacks = Executors.newSingleThreadExecutor();
    private final ManagedChannel channel;

    /** {@code certificate} and {@code key} may be null: then no client certificate is offered. */
    TestClient(int port, Path ca, Path certificate, Path key) throws Exception {
        SslContextBuilder tls = SslContextBuilder.forClient().trustManager(ca.toFile());
        if (certificate != null) {
            tls.keyManager(certificate.toFile(), key.toFile());
        }
        channel = NettyChannelBuilder.forAddress("localhost", port)
                .sslContext(GrpcSslContexts.configure(tls, SslProvider.JDK).build())
                .executor(callbacks)
                .build();
    }

    Stream open() {
        return new Stream(channel.newCall(PublishMethod.DESCRIPTOR, CallOptions.DEFAULT));
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        callbacks.shutdown();
    }

    static final class Stream {
        private final ClientCall<byte[], Ack> call;
        final BlockingQueue<Ack> acks = new LinkedBlockingQueue<>();
        final CompletableFuture<Status> closed = new CompletableFuture<>();

        Stream(ClientCall<byte[], Ack> call) {
            this.call = call;
            call.start(new ClientCall.Listener<>() {
                @Override
                public void onMessage(Ack ack) {
                    acks.add(ack);
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                    closed.complete(status);
                }
            }, new Metadata());
            call.request(Integer.MAX_VALUE);
        }

        Stream send(Envelope envelope) {
            return send(envelope.toByteArray());
        }

        Stream send(byte[] bytes) {
            call.sendMessage(bytes);
            return this;
        }

        void halfClose() {
            call.halfClose();
        }

        Ack nextAck() throws InterruptedException {
            Ack ack = acks.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(ack, "no ack within " + TIMEOUT_SECONDS + " s");
            return ack;
        }

        Status awaitClose() throws Exception {
            return closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }
}
