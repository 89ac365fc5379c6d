package io.amoskys.bus.internal;

import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.schema.EnvelopeSigner;
import io.amoskys.schema.EventCodec;
import io.amoskys.schema.v1.Ack;
import io.amoskys.schema.v1.Envelope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One in-container agent's way onto the bus: a bounded buffer its events wait in (a full buffer
 * slows the agent down), and a thread that batches them into envelopes with the agent's next
 * sequence, signs them with the agent's own key and hands them to the bus like any remote
 * agent's. A few envelopes may be in flight at once so signing overlaps the group commit.
 */
final class LocalChannel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalChannel.class);
    private static final int IN_FLIGHT = 8;

    private final String agentId;
    private final EnvelopeSigner signer;
    private final SignedHere ingest;
    private final EventCodec codec = new EventCodec();
    private final BlockingQueue<TelemetryEvent> buffer;
    private final int batch;
    private final long lingerNanos;
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final LongAdder lost;
    private final Thread thread;
    private long sequence;
    private volatile boolean closing;
    /** Queued by close(): everything before it is published, then the thread ends. */
    private static final TelemetryEvent END = TelemetryEvent.builder().agentId("end").entityId("end").kind("end").build();

    /** Where envelopes signed here go, with their parsed form: the bus's {@code ingestSignedHere}. */
    interface SignedHere {
        CompletableFuture<Ack> ingest(byte[] envelope, Envelope parsed, BodyFacts body);
    }

    LocalChannel(String agentId, EnvelopeSigner signer, long lastSequence, SignedHere ingest, int bufferEvents,
                 int batch, int lingerMillis, LongAdder lost) {
        this.agentId = agentId;
        this.signer = signer;
        this.sequence = lastSequence;
        this.ingest = ingest;
        this.buffer = new ArrayBlockingQueue<>(bufferEvents);
        this.batch = batch;
        this.lingerNanos = TimeUnit.MILLISECONDS.toNanos(lingerMillis);
        this.lost = lost;
        this.thread = new Thread(this::run, "amoskys-bus-publish-" + agentId);
        thread.setDaemon(true);
        thread.start();
    }

    /** Takes one event; blocks while the buffer is full. */
    void accept(TelemetryEvent event) {
        if (closing) {
            lost.increment();
            return;
        }
        try {
            buffer.put(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lost.increment();
        }
    }

    private void run() {
        List<TelemetryEvent> events = new ArrayList<>(batch);
        boolean done = false;
        while (!done) {
            try {
                events.add(buffer.take());
                fill(events);
            } catch (InterruptedException e) {
                done = true; // only when the platform stops the thread itself
            }
            if (!events.isEmpty() && events.get(events.size() - 1) == END) {
                events.remove(events.size() - 1);
                done = true;
            }
            if (!events.isEmpty()) {
                try {
                    publish(events);
                } catch (RuntimeException e) {
                    // One batch that cannot be encoded or signed must not stop the agent's channel.
                    lost.add(events.size());
                    LOG.error("{} events of local agent {} could not be published", events.size(), agentId, e);
                }
            }
            events.clear();
        }
        lost.add(buffer.size()); // accepted in the instant the channel closed
        inFlight.acquireUninterruptibly(IN_FLIGHT);
    }

    /** Adds what arrives within the linger time, up to a batch, stopping at the end marker. */
    private void fill(List<TelemetryEvent> events) throws InterruptedException {
        long deadline = System.nanoTime() + lingerNanos;
        while (events.size() < batch && events.get(events.size() - 1) != END) {
            TelemetryEvent next = buffer.poll();
            if (next == null) {
                long left = deadline - System.nanoTime();
                next = left > 0 ? buffer.poll(left, TimeUnit.NANOSECONDS) : null;
                if (next == null) {
                    return;
                }
            }
            events.add(next);
        }
    }

    private void publish(List<TelemetryEvent> events) {
        int count = events.size();
        long signedAt = System.currentTimeMillis() * 1_000_000L;
        // Written straight from the events; the checks read the same facts off the events.
        Envelope signed = signer.sign(codec.bodyBytes(agentId, ++sequence, signedAt, events));
        BodyFacts body = BodyFacts.of(agentId, sequence, signedAt, events);
        byte[] envelope = signed.toByteArray();
        inFlight.acquireUninterruptibly();
        long seq = sequence;
        ingest.ingest(envelope, signed, body).whenComplete((ack, failure) -> {
            inFlight.release();
            if (failure != null) {
                lost.add(count);
                LOG.error("Envelope {} of local agent {} ({} events) was not stored: {}", seq, agentId, count, failure.getMessage());
            } else if (ack.getStatus() == Ack.Status.REJECTED) {
                lost.add(count);
                LOG.error("The bus refused envelope {} of local agent {}: {} ({})", seq, agentId, ack.getReason(), ack.getDetail());
            }
        });
    }

    /** Publishes what is buffered, waits for its acknowledgements, then stops. */
    @Override
    public void close() {
        closing = true;
        try {
            if (!buffer.offer(END, 30, TimeUnit.SECONDS)) {
                LOG.warn("Local agent {}'s channel did not drain in 30 s; its buffered events are lost", agentId);
                thread.interrupt();
            }
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
