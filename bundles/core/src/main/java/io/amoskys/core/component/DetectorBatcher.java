package io.amoskys.core.component;

import io.amoskys.api.Detector;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import io.amoskys.core.plugins.Plugin;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Micro-batching for one {@code amoskys:detector/NAME} endpoint: gathers up to {@code batchSize}
 * exchanges, or what arrived within {@code maxDelay} of the first, or what its senders fed it
 * before their input ended ({@link BatchScope}), and scores them with one
 * {@link Detector#scoreAll(List)} call on the endpoint's flusher thread. Each exchange then
 * continues its route from there with its own score, in the order the exchanges arrived.
 *
 * <p>The detector is looked up when a batch is scored, so one batch is scored by one detector
 * instance and a new one takes over between batches; a batch whose detector has gone back goes
 * back to the gate, in front of what waits there. If {@code scoreAll} fails, every vector of the
 * batch is scored alone, so a bad vector fails only its own exchange.
 *
 * <p>Memory is bounded: one gathering batch and at most {@value #MAX_SEALED} batches waiting for
 * the flusher; past that senders wait for room (the flusher threads themselves never wait, so that
 * no two batchers can wait for each other).
 */
final class DetectorBatcher {
    private static final Logger LOG = LoggerFactory.getLogger(DetectorBatcher.class);
    static final int MAX_SEALED = 4;
    private static final ThreadLocal<Boolean> FLUSHER = ThreadLocal.withInitial(() -> false);

    record Pending(Exchange exchange, AsyncCallback callback, long arrival) {}

    private record Batch(List<Pending> items, boolean end) {}

    private final PluginGate gate;
    private final int batchSize;
    private final long maxDelayNanos;
    private final ScheduledExecutorService flusher;

    private List<Pending> current; // guarded by this
    private int currentRows; // guarded by this: the events in current (a batched route's exchange carries many)
    private long generation; // guarded by this: which gathering batch a timer belongs to
    private ScheduledFuture<?> timer; // guarded by this
    private final ArrayDeque<Batch> sealed = new ArrayDeque<>(); // guarded by this
    private boolean closed; // guarded by this

    DetectorBatcher(PluginGate gate, int batchSize, long maxDelayNanos, ScheduledExecutorService flusher) {
        this.gate = gate;
        this.batchSize = batchSize;
        this.maxDelayNanos = maxDelayNanos;
        this.flusher = flusher;
        this.current = new ArrayList<>(batchSize);
    }

    /**
     * Takes an exchange into the gathering batch; its callback is called (not synchronously)
     * once it has been scored, or it has gone back to the gate to wait for its detector.
     *
     * @param fromSender true on the sender's own call (the exchange then completes synchronously
     *     if the endpoint has stopped), false for an exchange that already waited
     * @return true when the exchange was completed synchronously (only once the endpoint stopped)
     */
    boolean add(Exchange exchange, AsyncCallback callback, boolean fromSender) {
        BatchScope.touch(this);
        synchronized (this) {
            while (sealed.size() >= MAX_SEALED && !closed && !FLUSHER.get()) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    gate.deadLetter(exchange, "interrupted while waiting for room in the detector's batch");
                    callback.done(fromSender);
                    return fromSender;
                }
            }
            if (!closed) {
                if (current.isEmpty()) {
                    long batch = generation;
                    timer = flusher.schedule(() -> timerFired(batch), maxDelayNanos, TimeUnit.NANOSECONDS);
                }
                current.add(new Pending(exchange, callback, gate.nextArrival()));
                currentRows += EventBatch.events(exchange.getMessage().getBody());
                if (currentRows >= batchSize) {
                    seal(false);
                }
                return false;
            }
        }
        gate.deadLetter(exchange, "no route uses the detector endpoint any more while the message waited for its batch");
        callback.done(fromSender);
        return fromSender;
    }

    /** The senders that fed this batcher have nothing more for now: score what was gathered. */
    void endOfInput() {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (!current.isEmpty()) {
                seal(true);
            } else {
                // Nothing gathered, but batches before it may still be on their way to batchers
                // further down the route: tell those once these batches have gone through.
                flusher.execute(this::endMarker);
            }
        }
    }

    /**
     * Scores what was gathered and waits until everything sealed so far has gone through (or the
     * timeout passed), so that a route about to stop is not left with exchanges in a batch.
     */
    void flushAndWait(long timeoutMillis) throws InterruptedException {
        if (FLUSHER.get()) {
            return;
        }
        java.util.concurrent.Future<?> done;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (!current.isEmpty()) {
                seal(true);
            }
            done = flusher.submit(() -> {});
        }
        try {
            done.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("Detector batches of {} did not go through within {} ms", gate.uri(), timeoutMillis);
        }
    }

    /**
     * The endpoint stops: what is gathered is sealed and no more is taken. The caller then lets
     * the flusher finish and {@link #abandon abandons} whatever it could not.
     */
    void close() {
        synchronized (this) {
            if (!closed && !current.isEmpty()) {
                seal(true);
            }
            closed = true;
            notifyAll();
        }
    }

    /** After the flusher stopped: dead-letters the batches it never took. */
    void abandon(String reason) {
        List<Batch> left;
        synchronized (this) {
            left = new ArrayList<>(sealed);
            sealed.clear();
        }
        for (Batch batch : left) {
            for (Pending p : batch.items()) {
                gate.deadLetter(p.exchange(), reason);
                p.callback().done(false);
            }
        }
    }

    synchronized int gathering() {
        return current.size();
    }

    private void seal(boolean end) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        generation++;
        sealed.add(new Batch(current, end));
        current = new ArrayList<>(batchSize);
        currentRows = 0;
        flusher.execute(this::flushNext);
    }

    private void timerFired(long batch) {
        FLUSHER.set(true);
        synchronized (this) {
            if (batch != generation || current.isEmpty() || closed) {
                return; // that batch was sealed already
            }
            // The stream is slow: what gathers behind this batch further down is not waited for either.
            seal(true);
        }
    }

    private void endMarker() {
        FLUSHER.set(true);
        BatchScope.open(); // the flusher's scope stays open: it ends at each end of its input
        BatchScope.endTouched();
    }

    private void flushNext() {
        FLUSHER.set(true);
        BatchScope.open();
        Batch batch;
        synchronized (this) {
            batch = sealed.poll();
            notifyAll(); // room for a sender
        }
        if (batch == null) {
            return; // abandoned
        }
        try {
            score(batch.items());
        } finally {
            if (batch.end()) {
                BatchScope.endTouched();
            }
        }
    }

    /** One detector instance for the whole batch; then each exchange continues, in order. */
    private void score(List<Pending> items) {
        Plugin plugin = gate.plugin();
        if (plugin == null) {
            gate.requeue(items); // the detector left after they were gathered: they wait for it again
            return;
        }
        Detector detector = (Detector) plugin.service();
        VirtualMachineError fatal = null;
        List<Pending> single = new ArrayList<>(items.size());
        List<Pending> batched = new ArrayList<>();
        for (Pending p : items) {
            (p.exchange().getMessage().getBody() instanceof EventBatch ? batched : single).add(p);
        }
        if (!batched.isEmpty()) {
            fatal = scoreBatched(detector, plugin.bundle(), batched);
        }
        if (fatal == null) {
            fatal = scoreSingle(detector, plugin, single);
        }
        for (Pending p : items) {
            try {
                p.callback().done(false);
            } catch (RuntimeException e) {
                LOG.warn("{}: a route failed past the detector: {}", gate.uri(), e.toString());
            }
        }
        if (fatal != null) {
            throw fatal; // out of memory: nothing here can help
        }
    }

    /** A batched route's exchanges: their events' vectors scored together, each exchange goes on with its scores. */
    private VirtualMachineError scoreBatched(Detector detector, String bundle, List<Pending> batched) {
        List<EventBatch> batches = new ArrayList<>(batched.size());
        int events = 0;
        for (Pending p : batched) {
            EventBatch batch = (EventBatch) p.exchange().getMessage().getBody();
            batches.add(batch);
            events += batch.size();
        }
        gate.counters().delivered.add(events);
        try {
            List<EventBatch> scored = BatchInvoker.score(detector, bundle, batches, batchSize, gate.uri(), gate.counters());
            for (int i = 0; i < batched.size(); i++) {
                Exchange exchange = batched.get(i).exchange();
                exchange.getMessage().setBody(scored.get(i));
                if (scored.get(i).size() == 0) {
                    exchange.setRouteStop(true);
                }
            }
            return null;
        } catch (VirtualMachineError fatal) {
            for (Pending p : batched) {
                p.exchange().setException(fatal);
            }
            return fatal;
        }
    }

    /** Exchanges of one event each: scored together, or one by one when that fails. */
    private VirtualMachineError scoreSingle(Detector detector, Plugin plugin, List<Pending> items) {
        List<FeatureVector> vectors = new ArrayList<>(items.size());
        for (Pending p : items) {
            if (p.exchange().getMessage().getBody() instanceof FeatureVector vector) {
                vectors.add(vector);
            }
        }
        gate.counters().delivered.add(items.size());
        List<Score> scores = null;
        VirtualMachineError fatal = null;
        if (!vectors.isEmpty()) {
            try {
                scores = detector.scoreAll(vectors);
                if (scores == null || scores.size() != vectors.size()) {
                    throw new IllegalStateException("scoreAll returned " + (scores == null ? "null" : scores.size() + " scores")
                            + " for " + vectors.size() + " vectors");
                }
            } catch (Throwable e) {
                scores = null;
                if (e instanceof VirtualMachineError vmError && !(e instanceof StackOverflowError)) {
                    fatal = vmError;
                } else {
                    LOG.debug("{}: scoreAll failed on a batch of {} ({}); scoring its vectors one by one",
                            gate.uri(), vectors.size(), e.toString());
                }
            }
        }
        int next = 0;
        for (Pending p : items) {
            Exchange exchange = p.exchange();
            Object body = exchange.getMessage().getBody();
            try {
                if (fatal != null) {
                    throw fatal;
                }
                if (!(body instanceof FeatureVector vector)) {
                    throw PluginInvoker.wrongBody(gate.uri(), "a FeatureVector", body);
                }
                Score score = scores != null ? scores.get(next++) : detector.score(vector);
                if (score == null) {
                    gate.counters().filtered.increment();
                    exchange.setRouteStop(true);
                } else {
                    exchange.getMessage().setBody(score);
                }
            } catch (Throwable e) {
                gate.counters().failed.increment();
                exchange.setException(new PluginFailedException(gate.uri(), plugin.bundle(), e));
            }
        }
        return fatal;
    }
}
