package io.amoskys.agent.snmp.event;

import io.amoskys.api.Agent;
import io.amoskys.api.EventSink;
import io.amoskys.api.event.TelemetryEvent;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands events to the subscribed sinks on a thread of its own, through a bounded queue: a slow
 * sink (the platform applying back-pressure) never stalls polling; when the queue is full, new
 * events are dropped and counted.
 */
public final class EventPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

    private final List<EventSink> sinks = new CopyOnWriteArrayList<>();
    private final BlockingQueue<TelemetryEvent> queue;
    private final ExecutorService delivery;
    private final LongAdder emitted = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    public EventPublisher(int capacity, String threadName) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.delivery = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        delivery.execute(this::deliver);
    }

    public Agent.Subscription subscribe(EventSink sink) {
        sinks.add(sink);
        return () -> sinks.remove(sink);
    }

    /** Queues an event for the sinks; false when the queue was full and the event is dropped. */
    public boolean publish(TelemetryEvent event) {
        emitted.increment();
        if (sinks.isEmpty()) {
            return true; // nobody listens: nothing to keep
        }
        if (!queue.offer(event)) {
            dropped.increment();
            return false;
        }
        return true;
    }

    public long emitted() {
        return emitted.sum();
    }

    public long dropped() {
        return dropped.sum();
    }

    private void deliver() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                TelemetryEvent event = queue.take();
                for (EventSink sink : sinks) {
                    try {
                        sink.accept(event);
                    } catch (RuntimeException e) {
                        LOG.warn("A subscriber failed on {}: {}", event.id(), e.toString());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
        }
    }

    @Override
    public void close() throws InterruptedException {
        delivery.shutdownNow();
        delivery.awaitTermination(5, TimeUnit.SECONDS);
    }
}
