package io.amoskys.bus.grpc;

import io.amoskys.bus.Ingest;
import io.amoskys.schema.v1.Ack;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;

/**
 * Starts a {@link PublishCall} per stream, up to {@code maxStreams} open at once and
 * {@code maxStreamsPerAgent} of one certified agent: an agent that opens streams without end (a
 * bug, or a stolen certificate) cannot keep the others out.
 */
final class PublishHandler implements ServerCallHandler<byte[], Ack> {
    private final Ingest ingest;
    private final GrpcMetrics metrics;
    private final int window;
    private final int maxStreams;
    private final int maxStreamsPerAgent;

    PublishHandler(Ingest ingest, GrpcMetrics metrics, int window, int maxStreams, int maxStreamsPerAgent) {
        this.ingest = ingest;
        this.metrics = metrics;
        this.window = window;
        this.maxStreams = maxStreams;
        this.maxStreamsPerAgent = maxStreamsPerAgent;
    }

    @Override
    public ServerCall.Listener<byte[]> startCall(ServerCall<byte[], Ack> call, Metadata headers) {
        String agent = ClientCertificateInterceptor.CERTIFIED_AGENT.get();
        GrpcMetrics.Full full = metrics.tryOpenStream(agent, maxStreams, maxStreamsPerAgent);
        if (full != null) {
            String why = full == GrpcMetrics.Full.AGENT
                    ? "agent " + agent + " has " + maxStreamsPerAgent + " streams open already (maxStreamsPerAgent); close one, or retry later"
                    : maxStreams + " streams are open already; retry later";
            call.close(Status.RESOURCE_EXHAUSTED.withDescription(why), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        String peer = String.valueOf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        PublishCall listener = new PublishCall(call, ingest, metrics, peer, agent);
        call.sendHeaders(new Metadata());
        call.request(window);
        return listener;
    }
}
