package io.amoskys.core.component;

import io.amoskys.api.bus.Cursor;
import io.amoskys.api.bus.EventLog;
import io.amoskys.api.bus.LoggedEvent;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a consumer's events from the log on its own thread, a batch at a time: each batch goes
 * through the route (held messages included), and only when every exchange of it and of the
 * batches before it has finished is its last offset committed. Up to
 * {@link BusEndpoint#getBatchesInFlight()} batches are in the route at once, so the steps that
 * run on this thread (stages, rules) go on with the next batch while detectors finish the last.
 * A kill -9 thus repeats at most the batches in flight and never skips one.
 */
final class BusConsumer extends DefaultConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(BusConsumer.class);
    static final String OFFSET_HEADER = "AmoskysLogOffset";
    private static final long WAIT_MILLIS = 500;
    private static final long RETRY_MILLIS = 2000;
    private static final long STOP_MILLIS = 30_000;

    private final BusEndpoint endpoint;
    private final EventLogHolder logs;
    private ExecutorService reader;
    private volatile boolean running;

    BusConsumer(BusEndpoint endpoint, Processor processor, EventLogHolder logs) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.logs = logs;
    }

    @Override
    protected void doStart() throws Exception {
        endpoint.claim(this); // one reader per consumer name, or their committed offsets would clash
        super.doStart();
        running = true;
        reader = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "amoskys-bus-" + endpoint.getConsumerName());
        reader.execute(this::readLoop);
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        if (reader != null) {
            stopReader();
        }
        endpoint.release(this);
        super.doStop();
    }

    /**
     * The reader ends once the batches in the route have finished, so that their offsets are
     * committed. A message held for a plugin that is gone (plugins leave before routes when the
     * platform stops) would keep it waiting out the whole stop timeout: it is dead-lettered, as a
     * removed route's held messages are.
     */
    private void stopReader() throws InterruptedException {
        reader.shutdown();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_MILLIS);
        while (!reader.awaitTermination(WAIT_MILLIS, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
            endpoint.releaseHeld(getRouteId(), "route stopping while the message waited for its plugin");
        }
        getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(reader, WAIT_MILLIS);
    }

    private void readLoop() {
        while (running) {
            EventLog log = null;
            try {
                log = logs.await(WAIT_MILLIS);
                if (log != null) {
                    follow(log);
                }
            } catch (InterruptedException e) {
                return;
            } catch (VirtualMachineError e) {
                // Out of memory or a broken JVM: the reader ends, said where someone looks.
                LOG.error("Bus consumer {} stopped reading; the route {} reads nothing more until it is restarted",
                        endpoint.getConsumerName(), getRouteId(), e);
                throw e;
            } catch (RuntimeException | LinkageError e) {
                // The log failed or went away mid-read (a LinkageError: the bus bundle was updated
                // under it): resume from the committed offset once it (or its replacement) answers again.
                LOG.warn("Bus consumer {} lost the event log ({}); it resumes from its committed offset",
                        endpoint.getConsumerName(), e.toString());
                try {
                    logs.awaitReplacement(log, RETRY_MILLIS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** A batch in the route: done when its latch is down, then its last offset may be committed. */
    private record InFlight(CountDownLatch finished, long lastOffset) {}

    private void follow(EventLog log) throws InterruptedException {
        ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
        try (Cursor cursor = log.open(endpoint.getConsumerName(), endpoint.kindSet())) {
            while (running && logs.current() == log) {
                commitFinished(cursor, inFlight);
                // With batches in the route, look for more without waiting, and wait for them instead.
                List<LoggedEvent> events = cursor.poll(endpoint.getBatchSize(), inFlight.isEmpty() ? WAIT_MILLIS : 0,
                        TimeUnit.MILLISECONDS);
                if (events.isEmpty()) {
                    if (!inFlight.isEmpty()) {
                        inFlight.peek().finished.await(WAIT_MILLIS, TimeUnit.MILLISECONDS);
                    }
                    continue;
                }
                while (inFlight.size() >= endpoint.getBatchesInFlight()) {
                    inFlight.peek().finished.await();
                    commitFinished(cursor, inFlight);
                }
                inFlight.add(new InFlight(start(events), events.get(events.size() - 1).offset()));
            }
            // Stopping or following a new log: what is in the route finishes and is committed here.
            while (!inFlight.isEmpty()) {
                inFlight.peek().finished.await();
                commitFinished(cursor, inFlight);
            }
        }
    }

    /** Commits the offset of the last of the finished batches at the head of the queue. */
    private static void commitFinished(Cursor cursor, ArrayDeque<InFlight> inFlight) {
        long offset = -1;
        while (!inFlight.isEmpty() && inFlight.peek().finished.getCount() == 0) {
            offset = inFlight.poll().lastOffset;
        }
        if (offset >= 0) {
            cursor.commit(offset);
        }
    }

    /**
     * Feeds offsets {@code first..last} through the route again, on the caller's thread and
     * beside the live reading, without committing anything.
     *
     * @return the events replayed
     */
    long replay(EventLog log, long first, long last) throws InterruptedException {
        long events = 0;
        try (Cursor cursor = log.range(first, last, endpoint.kindSet())) {
            while (!cursor.exhausted()) {
                List<LoggedEvent> batch = cursor.poll(endpoint.getBatchSize(), 0, TimeUnit.MILLISECONDS);
                if (batch.isEmpty() && !cursor.exhausted()) {
                    break; // the rest of the range was removed by retention or is not written yet
                }
                route(batch);
                events += batch.size();
            }
        }
        return events;
    }

    boolean isRunning() {
        return running;
    }

    private void route(List<LoggedEvent> events) throws InterruptedException {
        start(events).await();
    }

    /** Hands the batch to the route; the latch goes down as its exchanges finish. */
    private CountDownLatch start(List<LoggedEvent> events) {
        CountDownLatch finished = new CountDownLatch(endpoint.isBatched() ? 1 : events.size());
        boolean scope = BatchScope.open();
        try {
            if (endpoint.isBatched()) {
                routeBatch(events, finished);
            } else {
                routeEach(events, finished);
            }
        } finally {
            BatchScope.close(scope); // detectors score what this batch gathered now, not at their timers
        }
        endpoint.eventsDelivered(events.size());
        return finished;
    }

    /**
     * One exchange for the whole batch. Its steps drop and dead-letter the events their plugins
     * fail on, so the exchange itself fails only outside them: then every event of it is
     * dead-lettered, as an unbatched route's would be.
     */
    private void routeBatch(List<LoggedEvent> events, CountDownLatch finished) {
        Exchange exchange = createExchange(false);
        exchange.getMessage().setBody(EventBatch.of(endpoint, events));
        exchange.getMessage().setHeader(OFFSET_HEADER, events.get(0).offset());
        exchange.setProperty(EventBatch.EVENTS_PROPERTY, events.size());
        getAsyncProcessor().process(exchange, doneSync -> {
            if (exchange.getException() != null) {
                for (LoggedEvent logged : events) {
                    endpoint.eventFailed();
                    endpoint.deadLetter(logged, exchange.getException());
                }
                getExceptionHandler().handleException("Route failed on a batch of " + events.size() + " events from log offset "
                        + events.get(0).offset(), exchange, exchange.getException());
            }
            releaseExchange(exchange, false);
            finished.countDown();
        });
    }

    private void routeEach(List<LoggedEvent> events, CountDownLatch finished) {
        for (LoggedEvent logged : events) {
            Exchange exchange = createExchange(false);
            exchange.getMessage().setBody(logged.event());
            exchange.getMessage().setHeader(OFFSET_HEADER, logged.offset());
            exchange.setProperty(PluginInvoker.EVENT_PROPERTY, logged.event());
            getAsyncProcessor().process(exchange, doneSync -> {
                if (exchange.getException() != null) {
                    // The offset moves on past it (a poison event must not stop the route), so the
                    // event is kept in the dead-letter file rather than lost.
                    endpoint.eventFailed();
                    endpoint.deadLetter(logged, exchange.getException());
                    getExceptionHandler().handleException("Route failed on " + logged, exchange, exchange.getException());
                }
                releaseExchange(exchange, false);
                finished.countDown();
            });
        }
    }
}
