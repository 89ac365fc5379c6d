package io.amoskys.bus.grpc;

import io.amoskys.bus.Ingest;
import io.amoskys.schema.v1.Ack;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;

/** Starts a {@link PublishCall} per stream, up to {@code maxStreams} open at once. */
final class PublishHandler implements ServerCallHandler<byte[], Ack> {
    private final Ingest ingest;
    private final GrpcMetrics metrics;
    private final int window;
    private final int maxStreams;

    PublishHandler(Ingest ingest, GrpcMetrics metrics, int window, int maxStreams) {
        this.ingest = ingest;
        this.metrics = metrics;
        this.window = window;
        this.maxStreams = maxStreams;
    }

    @Override
    public ServerCall.Listener<byte[]> startCall(ServerCall<byte[], Ack> call, Metadata headers) {
        if (!metrics.tryOpenStream(maxStreams)) {
            call.close(Status.RESOURCE_EXHAUSTED.withDescription(maxStreams + " streams are open already; retry later"),
                    new Metadata());
            return new ServerCall.Listener<>() {};
        }
        String peer = String.valueOf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        PublishCall listener = new PublishCall(call, ingest, metrics, peer,
                ClientCertificateInterceptor.CERTIFIED_AGENT.get());
        call.sendHeaders(new Metadata());
        call.request(window);
        return listener;
    }
}
