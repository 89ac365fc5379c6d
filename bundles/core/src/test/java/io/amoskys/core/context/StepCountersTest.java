package io.amoskys.core.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.admin.StepDTO;
import java.util.List;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Per-step counters on a real Camel context with a YAML route shaped like the shipped ones. */
class StepCountersTest {
    private static final String ROUTE = """
            - route:
                id: r
                from:
                  uri: direct:in
                  steps:
                    - to: log:first?level=OFF
                    - multicast:
                        steps:
                          - pipeline:
                              steps:
                                - to: direct:check
                                - to: log:after-check?level=OFF
                          - to: log:other?level=OFF
            """;

    private final StepCounters counters = new StepCounters();
    private CamelContext camel;

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        camel.getManagementStrategy().addEventNotifier(counters);
        camel.getCamelContextExtension().addInterceptStrategy(counters);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:check").routeId("check").process(e -> {
                    if ("bad".equals(e.getMessage().getBody())) {
                        throw new IllegalStateException("bad body");
                    }
                });
            }
        });
        camel.start();
        load(ROUTE);
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    private void load(String yaml) throws Exception {
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("r.yaml", yaml));
    }

    private List<StepDTO> steps() {
        return RouteSteps.of(camel, "r", counters);
    }

    @Test
    void everyStepOfTheTreeCountsWhatPassesIt() {
        var template = camel.createProducerTemplate();
        template.sendBody("direct:in", "good");
        template.sendBody("direct:in", "good");
        assertThrows(Exception.class, () -> template.sendBody("direct:in", "bad"));

        List<StepDTO> steps = steps();
        assertEquals(List.of("to", "multicast"), steps.stream().map(s -> s.kind).toList());
        StepDTO first = steps.get(0);
        assertEquals("0", first.path);
        assertEquals("log:first?level=OFF", first.label);
        assertEquals(3, first.exchanges);
        assertEquals(3, first.completed);
        assertTrue(first.meanMicros > 0, "time spent: " + first.meanMicros);

        StepDTO multicast = steps.get(1);
        assertEquals(List.of("pipeline", "to"), multicast.steps.stream().map(s -> s.kind).toList());
        StepDTO pipeline = multicast.steps.get(0);
        StepDTO check = pipeline.steps.get(0);
        StepDTO afterCheck = pipeline.steps.get(1);
        assertEquals("1.0.0", check.path);
        assertEquals("direct:check", check.label);
        assertEquals(3, check.exchanges);
        assertEquals(2, check.completed);
        assertEquals(1, check.failed);
        assertEquals(2, afterCheck.exchanges, "the failed exchange stopped at its step");
    }

    @Test
    void countsCarryOnAcrossAReloadAndGoWithStepsTheRouteNoLongerHas() throws Exception {
        var template = camel.createProducerTemplate();
        template.sendBody("direct:in", "good");
        camel.getRouteController().stopRoute("r");
        camel.removeRoute("r");
        load(ROUTE);
        template.sendBody("direct:in", "good");
        assertEquals(2, steps().get(0).exchanges, "the same shape: the same counters");
        assertEquals(2, steps().get(1).steps.get(0).steps.get(1).exchanges);

        camel.getRouteController().stopRoute("r");
        camel.removeRoute("r");
        load("""
                - route:
                    id: r
                    from:
                      uri: direct:in
                      steps:
                        - to: log:only?level=OFF
                """);
        assertEquals(Set.of("0"), RouteSteps.paths(camel, "r"));
        assertEquals(null, counters.counts("r", "1.0.1"), "a place the route no longer has is forgotten");
        assertEquals(2, steps().get(0).exchanges);
    }
}
