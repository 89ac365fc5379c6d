package io.amoskys.bus.grpc;

import io.amoskys.bus.Ingest;
import io.amoskys.schema.v1.Ack;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Publish stream. Reads at most {@code window} envelopes ahead of the acks it has sent: it
 * asks gRPC for one more envelope per ack, and only while the transport can take the ack, so a
 * client that neither acks nor reads cannot make the server buffer without bound. Acks leave in
 * arrival order whatever order the bus finishes in.
 */
final class PublishCall extends ServerCall.Listener<byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(PublishCall.class);

    private final ServerCall<byte[], Ack> call;
    private final Ingest ingest;
    private final GrpcMetrics metrics;
    private final String peer;
    private final String agent;

    // Guarded by this: ServerCall may not be used from two threads at once.
    private final Deque<CompletableFuture<Ack>> unacked = new ArrayDeque<>();
    private int requestsOwed;
    private boolean halfClosed;
    private boolean closed;

    PublishCall(ServerCall<byte[], Ack> call, Ingest ingest, GrpcMetrics metrics, String peer, String agent) {
        this.call = call;
        this.ingest = ingest;
        this.metrics = metrics;
        this.peer = peer;
        this.agent = agent;
    }

    @Override
    public void onMessage(byte[] envelope) {
        metrics.envelopeReceived();
        CompletableFuture<Ack> ack;
        try {
            ack = ingest.ingest(envelope, peer, agent);
        } catch (RuntimeException e) {
            ack = CompletableFuture.failedFuture(e);
        }
        synchronized (this) {
            unacked.add(ack);
        }
        ack.whenComplete((a, e) -> sendFinishedAcks());
    }

    @Override
    public void onHalfClose() {
        synchronized (this) {
            halfClosed = true;
        }
        sendFinishedAcks();
    }

    @Override
    public synchronized void onReady() {
        if (!closed && requestsOwed > 0) {
            call.request(requestsOwed);
            requestsOwed = 0;
        }
    }

    @Override
    public void onCancel() {
        synchronized (this) {
            closed = true;
            unacked.clear();
        }
        metrics.streamClosed(agent);
    }

    @Override
    public void onComplete() {
        metrics.streamClosed(agent);
    }

    private synchronized void sendFinishedAcks() {
        while (!closed && !unacked.isEmpty() && unacked.peek().isDone()) {
            Ack ack;
            try {
                ack = unacked.poll().join();
            } catch (CompletionException | java.util.concurrent.CancellationException e) {
                // Nothing of this envelope was stored: the agent reconnects and resends from it.
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                LOG.warn("The bus could not store an envelope from {} ({}); ending its stream so that it resends: {}",
                        agent, peer, cause.toString());
                close(Status.UNAVAILABLE.withDescription("the bus could not store the envelope; reconnect and resend")
                        .withCause(cause));
                return;
            }
            call.sendMessage(ack);
            if (call.isReady()) {
                call.request(1);
            } else {
                requestsOwed++;
            }
        }
        if (!closed && halfClosed && unacked.isEmpty()) {
            close(Status.OK);
        }
    }

    private void close(Status status) {
        closed = true;
        unacked.clear();
        call.close(status, new Metadata());
    }
}
