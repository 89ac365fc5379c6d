package io.amoskys.core.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.Agent;
import io.amoskys.api.Detector;
import io.amoskys.api.EventSink;
import io.amoskys.api.FeatureStage;
import io.amoskys.api.PluginKind;
import io.amoskys.api.admin.EndpointDTO;
import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.core.plugins.Plugin;
import io.amoskys.core.plugins.PluginRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The amoskys: component on a real Camel context, fed the way agents feed it: a route from an
 * agent through a stage to the detector under test. Lookup per message, holding, draining in
 * order, dead letters, release on stop.
 */
class PluginGateTest {
    private static final FeatureSchema SCHEMA = new FeatureSchema("t", 1, List.of("x"));
    /** Unbatched: each message scored alone, on the sender's thread (DetectorBatchingTest covers batches). */
    private static final String DETECTOR = "amoskys:detector/echo?batchSize=1";

    @TempDir
    Path dir;

    private final PluginRegistry registry = new PluginRegistry();
    private final List<Double> out = Collections.synchronizedList(new ArrayList<>());
    private final List<EventSink> sinks = new ArrayList<>();
    private DeadLetters deadLetters;
    private CamelContext camel;
    private long sequence;

    @BeforeEach
    void start() throws Exception {
        Agent feed = sink -> {
            sinks.add(sink);
            return () -> sinks.remove(sink);
        };
        FeatureStage stage = (event, current) -> new FeatureVector(SCHEMA, event.entityId(), event.timestampNanos(),
                new double[] {event.metrics().get("x")}, List.of(event.id()));
        registry.register(new Plugin(PluginKind.AGENT, "feed", feed, 0, 100, 1, "test/1"));
        registry.register(new Plugin(PluginKind.STAGE, "vec", stage, 0, 101, 1, "test/1"));

        deadLetters = new DeadLetters(dir.resolve("dead-letters.log"), 1 << 20);
        camel = new DefaultCamelContext();
        camel.addComponent("amoskys", new AmoskysComponent(registry, deadLetters, 3, new EventLogHolder()));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("amoskys:agent/feed").routeId("r")
                        .to("amoskys:stage/vec")
                        .to(DETECTOR)
                        .process(e -> out.add(e.getMessage().getBody(Score.class).value()));
            }
        });
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        deadLetters.close();
    }

    private void emit(double x) {
        TelemetryEvent event = TelemetryEvent.builder().agentId("a").sequence(sequence++).entityId("e").kind("t")
                .metric("x", x).build();
        sinks.forEach(sink -> sink.accept(event));
    }

    private void detectorArrives(long serviceId) {
        Detector echo = v -> Score.builder().detector("echo").about(v).value(v.get(0) / 100).build();
        registry.register(new Plugin(PluginKind.DETECTOR, "echo", echo, 0, serviceId, 2, "vendor/1"));
    }

    private EndpointDTO detector() {
        return camel.getComponent("amoskys", AmoskysComponent.class).endpointStatus().stream()
                .filter(e -> e.uri.equals(DETECTOR)).findFirst().orElseThrow();
    }

    /** Drained messages continue on the endpoint's own thread: wait for them, with a deadline. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not reached in 10 s");
            Thread.sleep(5); // pause between probes
        }
    }

    @Test
    void aPresentPluginIsCalledAtOnceOnTheAgentsThread() {
        detectorArrives(1);
        emit(50);
        assertEquals(List.of(0.5), out);
        assertEquals(1, detector().delivered);
    }

    @Test
    void whileThePluginIsMissingMessagesWaitUpToCapacityThenAreDeadLettered() throws Exception {
        for (int x = 1; x <= 5; x++) {
            emit(x);
        }
        EndpointDTO waiting = detector();
        assertFalse(waiting.available);
        assertEquals(3, waiting.held);
        assertEquals(2, waiting.deadLettered);
        List<String> letters = Files.readAllLines(dir.resolve("dead-letters.log"));
        assertEquals(2, letters.size());
        assertTrue(letters.get(0).contains("plugin detector/echo missing and 3 messages already waiting"), letters.get(0));
        assertTrue(out.isEmpty(), "nothing went past the missing plugin");
        assertEquals(3, camel.getInflightRepository().size("r"), "held messages stay in flight");

        detectorArrives(7);
        await(() -> out.size() == 3);
        assertEquals(List.of(0.01, 0.02, 0.03), out, "the held messages, in order, continued their route");
        assertEquals(0, detector().held);
        assertEquals(3, detector().delivered);
        await(() -> camel.getInflightRepository().size("r") == 0);
    }

    @Test
    void newMessagesQueueBehindHeldOnesSoOrderIsKept() throws Exception {
        for (int x = 1; x <= 3; x++) {
            emit(x);
        }
        detectorArrives(1);
        for (int x = 4; x <= 6; x++) {
            emit(x);
        }
        await(() -> out.size() == 6);
        assertEquals(List.of(0.01, 0.02, 0.03, 0.04, 0.05, 0.06), out);
    }

    @Test
    void aPluginThatLeavesIsNoLongerCalledAndItsMessagesWaitAgain() {
        detectorArrives(1);
        emit(1);
        registry.unregister(PluginKind.DETECTOR, "echo", 1);
        emit(2);
        assertEquals(1, detector().held);
        assertEquals(List.of(0.01), out);
    }

    @Test
    void theHighestRankingServiceOfANameServesIt() {
        detectorArrives(1);
        Detector ranked = v -> Score.builder().detector("ranked").about(v).value(1).build();
        registry.register(new Plugin(PluginKind.DETECTOR, "echo", ranked, 10, 2, 3, "other/1"));
        emit(1);
        assertEquals(List.of(1.0), out);
        registry.unregister(PluginKind.DETECTOR, "echo", 2);
        emit(50);
        assertEquals(List.of(1.0, 0.5), out, "back to the remaining service");
    }

    @Test
    void releasingARoutesMessagesDeadLettersThemSoTheRouteCanStop() throws Exception {
        emit(1);
        camel.getComponent("amoskys", AmoskysComponent.class).releaseHeld(List.of("r"), "route removed");
        assertEquals(0, detector().held);
        assertEquals(1, detector().deadLettered);
        assertTrue(Files.readString(dir.resolve("dead-letters.log")).contains("route removed"));
        await(() -> camel.getInflightRepository().size("r") == 0);
        assertTrue(out.isEmpty());
    }

    @Test
    void stoppingTheContextDoesNotWaitForMissingPlugins() throws Exception {
        emit(1);
        long started = System.nanoTime();
        camel.stop();
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10), "stop did not wait out Camel's shutdown timeout");
        assertTrue(Files.readString(dir.resolve("dead-letters.log")).contains("platform stopping"));
    }

    @Test
    void aPluginThatThrowsFailsOnlyThatMessageAndIsCounted() {
        Detector flaky = v -> {
            if (v.get(0) == 2) {
                throw new IllegalStateException("bad vector");
            }
            return Score.builder().detector("flaky").about(v).value(0).build();
        };
        registry.register(new Plugin(PluginKind.DETECTOR, "echo", flaky, 0, 1, 2, "vendor/1"));
        emit(1);
        emit(2);
        emit(3);
        assertEquals(2, out.size());
        assertEquals(1, detector().failed);
        assertEquals(3, detector().delivered);
    }

    @Test
    void anErrorThrownWhileDrainingFailsThatMessageOnlyAndTheGateKeepsFlowing() throws Exception {
        emit(1);
        emit(2);
        emit(3);
        Detector linkage = v -> {
            if (v.get(0) == 2) {
                throw new NoClassDefFoundError("com/example/Gone");
            }
            return Score.builder().detector("d").about(v).value(v.get(0) / 100).build();
        };
        registry.register(new Plugin(PluginKind.DETECTOR, "echo", linkage, 0, 9, 2, "vendor/1"));
        await(() -> out.size() == 2);
        emit(4);
        await(() -> out.size() == 3);
        assertEquals(List.of(0.01, 0.03, 0.04), out);
        assertEquals(1, detector().failed);
        assertEquals(0, detector().held);
    }
}
