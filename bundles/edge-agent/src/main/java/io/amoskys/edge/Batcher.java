package io.amoskys.edge;

import io.amoskys.schema.EnvelopeSigner;
import io.amoskys.schema.v1.EnvelopeBody;
import io.amoskys.schema.v1.Event;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Groups events into envelopes: up to {@code batch} events, {@code maxBytes} of them, or what
 * arrived within {@code linger} of the first. Each envelope takes the spool's next sequence, is
 * signed and is spooled (on disk) before {@code spooled} tells the uplink there is more to send.
 */
final class Batcher {
    /** Room for the envelope's own fields around the events. */
    private static final int ENVELOPE_OVERHEAD = 256;

    private final String agentId;
    private final EnvelopeSigner signer;
    private final Spool spool;
    private final int batch;
    private final int maxBytes;
    private final long lingerMillis;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final Counters counters;
    private final Runnable spooled;
    private final Consumer<Throwable> failed;
    private final PrintStream log;

    private final List<Event> events = new ArrayList<>();
    private int bytes;
    private ScheduledFuture<?> linger;

    Batcher(String agentId, EnvelopeSigner signer, Spool spool, int batch, int maxBytes, long lingerMillis,
            ScheduledExecutorService timer, Clock clock, Counters counters, Runnable spooled, Consumer<Throwable> failed,
            PrintStream log) {
        this.agentId = agentId;
        this.signer = signer;
        this.spool = spool;
        this.batch = batch;
        this.maxBytes = maxBytes;
        this.lingerMillis = lingerMillis;
        this.timer = timer;
        this.clock = clock;
        this.counters = counters;
        this.spooled = spooled;
        this.failed = failed;
        this.log = log;
    }

    synchronized void add(Event event) throws IOException {
        int size = event.getSerializedSize() + 8;
        if (size + ENVELOPE_OVERHEAD > maxBytes) {
            // Sent anyway, it would be refused again at every reconnect, and everything spooled after it would wait.
            counters.badInput.incrementAndGet();
            log.println("edge-agent: event " + event.getEventSequence() + " takes " + size + " bytes, more than an envelope of "
                    + "--max-envelope-bytes " + maxBytes + " holds: skipped");
            return;
        }
        if (!events.isEmpty() && bytes + size + ENVELOPE_OVERHEAD > maxBytes) {
            seal();
        }
        events.add(event);
        bytes += size;
        counters.events.incrementAndGet();
        if (events.size() >= batch) {
            seal();
        } else if (events.size() == 1) {
            linger = timer.schedule(this::lingerEnded, lingerMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Seals what is waiting: the source has ended, or the agent stops. */
    synchronized void flush() throws IOException {
        seal();
    }

    private synchronized void lingerEnded() {
        try {
            seal();
        } catch (IOException | RuntimeException e) {
            failed.accept(e);
        }
    }

    private void seal() throws IOException {
        if (linger != null) {
            linger.cancel(false);
            linger = null;
        }
        if (events.isEmpty()) {
            return;
        }
        long sequence = spool.nextSequence();
        Instant now = clock.instant();
        EnvelopeBody body = EnvelopeBody.newBuilder()
                .setSchemaVersion(1)
                .setAgentId(agentId)
                .setSequence(sequence)
                .setTimestampNs(now.getEpochSecond() * 1_000_000_000L + now.getNano())
                .addAllEvents(events)
                .build();
        spool.append(sequence, signer.sign(body).toByteArray());
        events.clear();
        bytes = 0;
        counters.envelopes.incrementAndGet();
        spooled.run();
    }
}
