package io.amoskys.edge;

import com.google.protobuf.InvalidProtocolBufferException;
import io.amoskys.bus.Ingest;
import io.amoskys.schema.SignatureCheck;
import io.amoskys.schema.v1.Ack;
import io.amoskys.schema.v1.Envelope;
import io.amoskys.schema.v1.EnvelopeBody;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A bus for tests: verifies each envelope's signature and records the bodies it accepted, in order. */
final class RecordingIngest implements Ingest {
    private final String agent;
    private final PublicKey key;
    final List<EnvelopeBody> accepted = new ArrayList<>();
    long received;

    RecordingIngest(String agent, PublicKey key) {
        this.agent = agent;
        this.key = key;
    }

    @Override
    public synchronized CompletableFuture<Ack> ingest(byte[] bytes, String peer, String certifiedAgent) {
        received++;
        Ack.Builder ack = Ack.newBuilder().setAgentId(agent);
        try {
            Envelope envelope = Envelope.parseFrom(bytes);
            EnvelopeBody body = EnvelopeBody.parseFrom(envelope.getBody());
            ack.setSequence(body.getSequence());
            if (!SignatureCheck.verify(envelope, key)) {
                return CompletableFuture.completedFuture(ack.setStatus(Ack.Status.REJECTED).setReason("forged-signature").build());
            }
            if (!agent.equals(body.getAgentId()) || !agent.equals(certifiedAgent)) {
                return CompletableFuture.completedFuture(ack.setStatus(Ack.Status.REJECTED).setReason("agent-mismatch").build());
            }
            if (accepted.stream().anyMatch(b -> b.getSequence() == body.getSequence())) {
                return CompletableFuture.completedFuture(ack.setStatus(Ack.Status.DUPLICATE).build());
            }
            accepted.add(body);
            return CompletableFuture.completedFuture(ack.setStatus(Ack.Status.ACCEPTED).build());
        } catch (InvalidProtocolBufferException e) {
            return CompletableFuture.completedFuture(ack.setStatus(Ack.Status.REJECTED).setReason("malformed").build());
        }
    }

    synchronized List<Long> sequences() {
        return accepted.stream().map(EnvelopeBody::getSequence).toList();
    }

    synchronized List<Long> eventSequences() {
        return accepted.stream().flatMap(b -> b.getEventsList().stream()).map(e -> e.getEventSequence()).toList();
    }

    @Override
    public int maxEnvelopeBytes() {
        return 4 << 20;
    }
}
