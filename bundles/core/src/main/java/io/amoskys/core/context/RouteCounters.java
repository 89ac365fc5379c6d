package io.amoskys.core.context;

import io.amoskys.core.component.EventBatch;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Counts finished messages per route, so status works without JMX: an exchange of a batched bus
 * route counts as the events it set out with. Counts survive a route's reload under the same id:
 * operators compare before and after.
 */
final class RouteCounters extends EventNotifierSupport {
    record Counts(LongAdder total, LongAdder failed) {}

    private final Map<String, Counts> byRoute = new ConcurrentHashMap<>();

    RouteCounters() {
        setIgnoreCamelContextEvents(true);
        setIgnoreCamelContextInitEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeCompletedEvent || event instanceof CamelEvent.ExchangeFailedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
        String routeId = exchange.getFromRouteId();
        if (routeId == null || isCopy(exchange)) {
            return;
        }
        Counts counts = byRoute.computeIfAbsent(routeId, id -> new Counts(new LongAdder(), new LongAdder()));
        Integer batched = exchange.getProperty(EventBatch.EVENTS_PROPERTY, Integer.class);
        int messages = batched == null ? 1 : batched;
        counts.total().add(messages);
        if (event instanceof CamelEvent.ExchangeFailedEvent) {
            counts.failed().add(messages);
        }
    }

    /**
     * A multicast's (or splitter's) copies complete too: count the message, not each copy. A copy
     * carries its original's id as correlation id; the original may get the property back from
     * the aggregation, but then it names itself.
     */
    private static boolean isCopy(Exchange exchange) {
        String original = exchange.getProperty(ExchangePropertyKey.CORRELATION_ID, String.class);
        return original != null && !original.equals(exchange.getExchangeId());
    }

    long total(String routeId) {
        Counts counts = byRoute.get(routeId);
        return counts == null ? 0 : counts.total().sum();
    }

    long failed(String routeId) {
        Counts counts = byRoute.get(routeId);
        return counts == null ? 0 : counts.failed().sum();
    }
}
