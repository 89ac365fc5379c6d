package io.amoskys.camel.pcap;

import io.amoskys.pcap.PacketBatch;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/** What the file and live consumers share: one exchange per batch, sent and waited for. */
abstract class BatchConsumer extends DefaultConsumer {

    BatchConsumer(PcapEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
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
