package io.amoskys.edge;

import io.amoskys.schema.v1.Ack;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sends the spool to the server over one Publish stream at a time, in sequence order, with at
 * most {@code window} envelopes unanswered and only while gRPC says the stream is ready. An answer
 * (accepted, duplicate or rejected) releases the envelope from the spool. When a stream fails it
 * forgets what was in flight and, after a capped exponential backoff, connects again and resends
 * from the first unanswered envelope. Every step runs on one thread (the gRPC callbacks too), so
 * the state below needs no locks.
 */
final class Uplink {
    static final long FIRST_BACKOFF_MILLIS = 100;

    private final Spool spool;
    private final Supplier<ManagedChannel> channels;
    private final ScheduledExecutorService executor;
    private final int window;
    private final long maxBackoffMillis;
    private final Counters counters;
    private final PrintStream log;
    private final String server;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    private ManagedChannel channel;
    private ClientCall<byte[], Ack> call;
    private final ArrayDeque<Long> inFlight = new ArrayDeque<>();
    private long sentThrough;
    private long highestSent;
    private boolean finishing;
    private boolean halfClosed;
    private long backoffMillis = FIRST_BACKOFF_MILLIS;

    /** {@code channels} must build channels whose callbacks run on {@code executor}. */
    Uplink(Spool spool, Supplier<ManagedChannel> channels, ScheduledExecutorService executor, int window,
           long maxBackoffMillis, Counters counters, PrintStream log, String server) {
        this.spool = spool;
        this.channels = channels;
        this.executor = executor;
        this.window = window;
        this.maxBackoffMillis = maxBackoffMillis;
        this.counters = counters;
        this.log = log;
        this.server = server;
    }

    void start() {
        executor.execute(this::connect);
    }

    /** More is in the spool. */
    void spooled() {
        executor.execute(this::pump);
    }

    /** Nothing more will be spooled: complete {@link #drained()} once all is answered. */
    void finish() {
        executor.execute(() -> {
            finishing = true;
            pump();
        });
    }

    /** Completes when the source has ended and the spool is empty, or exceptionally when the spool fails. */
    CompletableFuture<Void> drained() {
        return drained;
    }

    /** Ends the stream and the channel where they are (the spool keeps what was not answered). */
    void stop() {
        executor.execute(() -> {
            if (call != null) {
                call.cancel("edge-agent stopping", null);
                call = null;
            }
            closeChannel();
        });
    }

    private void connect() {
        if (drained.isDone()) {
            return;
        }
        if (finishing && spool.pending() == 0) {
            drained.complete(null);
            return;
        }
        channel = channels.get();
        ClientCall<byte[], Ack> stream = channel.newCall(IngestMethod.PUBLISH, CallOptions.DEFAULT);
        call = stream;
        halfClosed = false;
        inFlight.clear();
        sentThrough = spool.doneThrough();
        stream.start(new Listener(stream), new Metadata());
        stream.request(window);
        pump();
    }

    private void pump() {
        if (call == null || halfClosed) {
            return;
        }
        try {
            while (inFlight.size() < window && call.isReady()) {
                Spool.Record record = spool.next(sentThrough);
                if (record == null) {
                    break;
                }
                call.sendMessage(record.envelope());
                inFlight.add(record.sequence());
                sentThrough = record.sequence();
                if (record.sequence() > highestSent) {
                    highestSent = record.sequence();
                    counters.sent.incrementAndGet();
                }
            }
        } catch (IOException e) {
            drained.completeExceptionally(e);
            return;
        }
        if (finishing && spool.pending() == 0 && inFlight.isEmpty()) {
            halfClosed = true;
            call.halfClose(); // the server closes the stream in turn, and onClose completes drained
        }
    }

    /** Refusals that an operator fixes by enrolling a key; the envelopes themselves are fine. */
    private static final java.util.Set<String> KEY_NOT_TRUSTED_YET = java.util.Set.of("unknown-key", "revoked-key");

    private void answered(ClientCall<byte[], Ack> stream, Ack ack) throws IOException {
        Long expected = inFlight.poll();
        // Answers come in the order envelopes went out; a refusal of an envelope the server could
        // not read at all carries no sequence, and is the answer to the one due.
        boolean unreadable = ack.getStatus() == Ack.Status.REJECTED && ack.getSequence() == 0;
        if (expected == null || (expected != ack.getSequence() && !unreadable)) {
            log.println("edge-agent: the server answered for envelope " + ack.getSequence() + " where " + expected
                    + " was due; reconnecting");
            stream.cancel("ack out of order", null);
            return;
        }
        switch (ack.getStatus()) {
            case ACCEPTED -> counters.acked.incrementAndGet();
            case DUPLICATE -> counters.duplicates.incrementAndGet();
            case REJECTED -> {
                if (KEY_NOT_TRUSTED_YET.contains(ack.getReason())) {
                    // Not the envelope's fault: the key is not (or no longer) enrolled. Keep it and
                    // everything after it, and try again later, once the operator has acted.
                    log.println("edge-agent: envelope " + expected + " refused: " + ack.getReason()
                            + (ack.getDetail().isEmpty() ? "" : " (" + ack.getDetail() + ")")
                            + "; kept in the spool: enroll this agent's key (see --print-key)");
                    stream.cancel("signing key not trusted", null);
                    return;
                }
                counters.rejected.incrementAndGet();
                log.println("edge-agent: envelope " + ack.getSequence() + " rejected: " + ack.getReason()
                        + (ack.getDetail().isEmpty() ? "" : " (" + ack.getDetail() + ")") + "; dropped it");
            }
            default -> {
                log.println("edge-agent: the server answered envelope " + ack.getSequence() + " with status "
                        + ack.getStatus() + "; reconnecting");
                stream.cancel("unknown ack status", null);
                return;
            }
        }
        spool.acknowledge(expected);
        backoffMillis = FIRST_BACKOFF_MILLIS;
        stream.request(1);
        pump();
    }

    private void closed(Status status) {
        call = null;
        inFlight.clear();
        closeChannel();
        if (finishing && spool.pending() == 0) {
            drained.complete(null);
            return;
        }
        counters.failedConnections.incrementAndGet();
        long delay = backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1);
        log.println("edge-agent: no stream to " + server + " (" + describe(status) + "); "
                + spool.pending() + " envelopes wait in the spool; retrying in " + delay + " ms");
        backoffMillis = Math.min(maxBackoffMillis, backoffMillis * 2);
        executor.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /** The status with its root cause, which says more than gRPC's own "io exception". */
    private static String describe(Status status) {
        StringBuilder text = new StringBuilder(status.getCode().toString());
        if (status.getDescription() != null) {
            text.append(": ").append(status.getDescription());
        }
        Throwable cause = status.getCause();
        while (cause != null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause != null && cause.getMessage() != null) {
            text.append(": ").append(cause.getMessage());
        }
        return text.toString();
    }

    private void closeChannel() {
        if (channel != null) {
            channel.shutdownNow();
            channel = null;
        }
    }

    /** Callbacks of one stream; those of a stream already given up are ignored. */
    private final class Listener extends ClientCall.Listener<Ack> {
        private final ClientCall<byte[], Ack> stream;

        Listener(ClientCall<byte[], Ack> stream) {
            this.stream = stream;
        }

        @Override
        public void onReady() {
            if (call == stream) {
                pump();
            }
        }

        @Override
        public void onMessage(Ack ack) {
            if (call != stream) {
                return;
            }
            try {
                answered(stream, ack);
            } catch (IOException e) {
                drained.completeExceptionally(e);
            }
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            if (call == stream) {
                closed(status);
            }
        }
    }
}
