package io.amoskys.bus.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.amoskys.bus.Ingest;
import io.amoskys.schema.Ed25519Keys;
import io.amoskys.schema.SignatureCheck;
import io.amoskys.schema.v1.Ack;
import io.amoskys.schema.v1.Envelope;
import io.amoskys.schema.v1.EnvelopeBody;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;

/**
 * A bus for tests: really verifies signatures against enrolled keys, remembers what it accepted
 * and, for the sequences {@link #hold} names, keeps the ack back until the test releases it.
 */
final class VerifyingIngest implements Ingest {
    /** An ack kept back: complete it with {@link #release()}. */
    /** An envelope the log has not finished; {@code unfinished} counts it until it is released. */
    record Held(long sequence, CompletableFuture<Ack> future, Ack ack, AtomicInteger unfinished) {
        void release() {
            // Before completing: the server's callbacks run inside complete() and may take the next
            // envelope, which must not be counted alongside this finished one.
            unfinished.decrementAndGet();
            future.complete(ack);
        }
    }

    private record Key(String agent, PublicKey key) {}

    private final Map<String, Key> keys = new ConcurrentHashMap<>();
    private final int maxEnvelopeBytes;
    final List<String> accepted = Collections.synchronizedList(new ArrayList<>());
    final BlockingQueue<Held> held = new LinkedBlockingQueue<>();
    final AtomicInteger unfinished = new AtomicInteger();
    final AtomicInteger mostUnfinished = new AtomicInteger();
    volatile LongPredicate hold = sequence -> false;
    volatile long failAt = -1;

    VerifyingIngest(int maxEnvelopeBytes) {
        this.maxEnvelopeBytes = maxEnvelopeBytes;
    }

    void enroll(String agent, PublicKey key) {
        keys.put(Ed25519Keys.keyId(key), new Key(agent, key));
    }

    @Override
    public int maxEnvelopeBytes() {
        return maxEnvelopeBytes;
    }

    @Override
    public CompletableFuture<Ack> ingest(byte[] bytes, String peer, String certifiedAgent) {
        Ack ack = verify(bytes, certifiedAgent);
        if (ack.getSequence() == failAt) {
            return CompletableFuture.failedFuture(new IllegalStateException("the log is down"));
        }
        if (!hold.test(ack.getSequence())) {
            return CompletableFuture.completedFuture(ack);
        }
        mostUnfinished.accumulateAndGet(unfinished.incrementAndGet(), Math::max);
        CompletableFuture<Ack> future = new CompletableFuture<>();
        held.add(new Held(ack.getSequence(), future, ack, unfinished));
        return future;
    }

    private Ack verify(byte[] bytes, String certifiedAgent) {
        if (bytes.length > maxEnvelopeBytes) {
            return rejected("", 0, "oversized");
        }
        try {
            Envelope envelope = Envelope.parseFrom(bytes);
            EnvelopeBody body = EnvelopeBody.parseFrom(envelope.getBody());
            Key key = keys.get(envelope.getKeyId());
            if (key == null) {
                return rejected(body.getAgentId(), body.getSequence(), "unknown-key");
            }
            if (!SignatureCheck.verify(envelope, key.key())) {
                return rejected(body.getAgentId(), body.getSequence(), "forged-signature");
            }
            if (!key.agent().equals(body.getAgentId()) || !body.getAgentId().equals(certifiedAgent)) {
                return rejected(body.getAgentId(), body.getSequence(), "agent-mismatch");
            }
            String id = body.getAgentId() + "#" + body.getSequence();
            synchronized (accepted) {
                Ack.Status status = accepted.contains(id) ? Ack.Status.DUPLICATE : Ack.Status.ACCEPTED;
                if (status == Ack.Status.ACCEPTED) {
                    accepted.add(id);
                }
                return Ack.newBuilder().setAgentId(body.getAgentId()).setSequence(body.getSequence()).setStatus(status).build();
            }
        } catch (InvalidProtocolBufferException e) {
            return rejected("", 0, "malformed");
        }
    }

    private static Ack rejected(String agent, long sequence, String reason) {
        return Ack.newBuilder().setAgentId(agent).setSequence(sequence).setStatus(Ack.Status.REJECTED).setReason(reason).build();
    }
}
