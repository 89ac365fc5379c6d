package io.amoskys.core.context;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.amoskys.core.component.EventBatch;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class RouteCountersTest {
    @Test
    void aMulticastCountsEachMessageOnceNotEachCopy() throws Exception {
        RouteCounters counters = new RouteCounters();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getManagementStrategy().addEventNotifier(counters);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:in").routeId("fan-out").multicast().to("log:a?level=OFF", "log:b?level=OFF", "log:c?level=OFF");
                    from("direct:bad").routeId("failing").throwException(new IllegalStateException("broken on purpose"));
                }
            });
            camel.start();
            ProducerTemplate producer = camel.createProducerTemplate();
            for (int i = 0; i < 10; i++) {
                producer.sendBody("direct:in", i);
            }
            producer.send("direct:bad", e -> e.getMessage().setBody("x"));
        }
        assertEquals(10, counters.total("fan-out"), "ten messages, not thirty copies plus ten");
        assertEquals(0, counters.failed("fan-out"));
        assertEquals(1, counters.total("failing"));
        assertEquals(1, counters.failed("failing"));
    }

    @Test
    void aBatchedRoutesExchangeCountsAsTheEventsItSetOutWith() throws Exception {
        RouteCounters counters = new RouteCounters();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getManagementStrategy().addEventNotifier(counters);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:in").routeId("batched").multicast().to("log:a?level=OFF", "log:b?level=OFF");
                }
            });
            camel.start();
            ProducerTemplate producer = camel.createProducerTemplate();
            producer.send("direct:in", e -> e.setProperty(EventBatch.EVENTS_PROPERTY, 256));
            producer.send("direct:in", e -> e.setProperty(EventBatch.EVENTS_PROPERTY, 44));
            producer.sendBody("direct:in", "one event");
        }
        assertEquals(301, counters.total("batched"));
    }
}
