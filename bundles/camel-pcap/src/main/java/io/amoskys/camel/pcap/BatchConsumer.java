package io.amoskys.camel.pcap;

import io.amoskys.pcap.PacketBatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * What the file and live consumers share: a reading thread that runs while the route does, and
 * one exchange per batch, sent and waited for.
 */
abstract class BatchConsumer extends DefaultConsumer {
    private ExecutorService reader;
    private volatile boolean running;

    BatchConsumer(PcapEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    /** Starts {@code task} on the consumer's own thread; it should end once {@link #running()} is false. */
    void startReading(String threadName, Runnable task) {
        running = true;
        reader = getEndpoint().getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this, threadName);
        reader.execute(task);
    }

    boolean running() {
        return running;
    }

    /** Wakes the reading thread from a wait that an interrupt does not end; called once {@link #running()} is false. */
    void wakeReader() {
    }

    /** Stops the reading thread: interrupted out of any wait, given a moment to close what it holds. */
    @Override
    protected void doStop() throws Exception {
        running = false;
        wakeReader();
        if (reader != null) {
            reader.shutdownNow();
            reader.awaitTermination(5, TimeUnit.SECONDS);
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(reader);
        }
        super.doStop();
    }

    /** Sends the batch through the route and returns when the route is done with it (back-pressure). */
    void send(PacketBatch batch) {
        Exchange exchange = createExchange(false);
        exchange.getMessage().setBody(batch);
        exchange.getMessage().setHeader(PcapEndpoint.SOURCE_HEADER, batch.source());
        try {
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Route failed on " + batch, exchange, exchange.getException());
            }
        } catch (Exception e) {
            getExceptionHandler().handleException("Route failed on " + batch, exchange, e);
        } finally {
            releaseExchange(exchange, false);
        }
    }
}
