package io.amoskys.core.component;

import static io.amoskys.core.component.DetectorBatchingTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.CorrelationRule;
import io.amoskys.api.FeatureStage;
import io.amoskys.api.PluginKind;
import io.amoskys.api.Responder;
import io.amoskys.api.admin.EndpointDTO;
import io.amoskys.api.event.Alert;
import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Response;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.core.component.DetectorBatchingTest.Recording;
import io.amoskys.core.plugins.Plugin;
import io.amoskys.core.plugins.PluginRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoublePredicate;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bus routes with {@code batched=true} (one exchange per log batch) against the same routes
 * unbatched, on a real Camel context: every plugin gets the same events and the same answers go
 * on, per-event failures and filters are counted and dead-lettered per event, a batch waits for a
 * missing plugin like any message, and detectors score the batch's vectors in calls of at most
 * their {@code batchSize}.
 */
class BatchedRouteTest {
    private static final FeatureSchema SCHEMA = new FeatureSchema("t", 1, List.of("x"));

    @TempDir
    Path dir;

    private final PluginRegistry registry = new PluginRegistry();
    private final MemoryLog log = new MemoryLog(offset -> {});
    private final EventLogHolder logs = new EventLogHolder();
    /** What each route's last responder was handed, by route: alert ids. */
    private final Map<String, List<String>> handed = new ConcurrentHashMap<>();
    private volatile DoublePredicate stageThrowsOn = x -> false;
    private DeadLetters deadLetters;
    private CamelContext camel;
    private AmoskysComponent amoskys;
    private long sequence;

    @BeforeEach
    void start() throws Exception {
        FeatureStage stage = (event, current) -> {
            double x = event.metrics().get("x");
            if (stageThrowsOn.test(x)) {
                throw new IllegalStateException("stage broke on " + x);
            }
            return new FeatureVector(SCHEMA, event.entityId(), event.timestampNanos(), new double[] {x}, List.of(event.id()));
        };
        // Scores of a multiple of 3 raise an alert; the others are not the rule's business.
        CorrelationRule rule = score -> Math.round(score.value() * 1000) % 3 != 0 ? List.of()
                : List.of(Alert.builder().id(score.detector() + "-" + Math.round(score.value() * 1000)).rule("r")
                        .entityId(score.entityId()).title("t").scores(List.of(score)).build());
        registry.register(new Plugin(PluginKind.STAGE, "vec", stage, 0, 101, 1, "test/1"));
        registry.register(new Plugin(PluginKind.RULE, "threes", rule, 0, 102, 1, "test/1"));
        long serviceId = 103;
        for (String route : List.of("batched", "each")) {
            Responder first = alert -> new Response("first", alert.id(), Response.Outcome.DONE, "noted");
            registry.register(new Plugin(PluginKind.RESPONDER, "first-" + route, first, 0, serviceId++, 1, "test/1"));
            registry.register(new Plugin(PluginKind.RESPONDER, "log-" + route, responder(route), 0, serviceId++, 1, "test/1"));
        }
        deadLetters = new DeadLetters(dir.resolve("dead-letters.log"), 1 << 20);
        camel = new DefaultCamelContext();
        amoskys = new AmoskysComponent(registry, deadLetters, 100, logs);
        camel.addComponent("amoskys", amoskys);
        camel.start();
        logs.set(log);
    }

    @AfterEach
    void stop() {
        camel.stop();
        deadLetters.close();
    }

    /** Records the alerts of one route. */
    private Responder responder(String route) {
        return alert -> {
            handed.computeIfAbsent(route, r -> new CopyOnWriteArrayList<>()).add(alert.id());
            return new Response("log", alert.id(), Response.Outcome.DONE, "logged");
        };
    }

    /** The shipped flow route's shape: stages, then a multicast of detector branches with a rule and responders. */
    private void route(String id, String options, String detectorOptions) throws Exception {
        String yaml = """
                - route:
                    id: ID
                    from:
                      uri: "amoskys:bus/ID?batchSize=100OPTIONS"
                      steps:
                        - to: amoskys:stage/vec
                        - multicast:
                            steps:
                              - pipeline:
                                  steps:
                                    - to: "amoskys:detector/aDETECTOR"
                                    - to: amoskys:rule/threes
                                    - to: amoskys:responder/first-ID
                                    - to: amoskys:responder/log-ID
                              - pipeline:
                                  steps:
                                    - to: "amoskys:detector/bDETECTOR"
                                    - to: amoskys:rule/threes
                                    - to: amoskys:responder/first-ID
                                    - to: amoskys:responder/log-ID
                """.replace("ID", id).replace("OPTIONS", options).replace("DETECTOR", detectorOptions);
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString(id + ".yaml", yaml));
    }

    private void append(int from, int to) {
        for (int x = from; x <= to; x++) {
            // Every seventh is negative: the detectors answer nothing for it (filtered).
            double value = x % 7 == 0 ? -x : x;
            log.append(TelemetryEvent.builder().agentId("a").sequence(sequence++).entityId("e").kind("t").metric("x", value).build());
        }
    }

    private Recording detector(String name, String id, long serviceId) {
        Recording d = new Recording(id);
        registry.register(new Plugin(PluginKind.DETECTOR, name, d, 0, serviceId, 2, "vendor/1"));
        return d;
    }

    private EndpointDTO endpoint(String uri) {
        return amoskys.endpointStatus().stream().filter(e -> e.uri.equals(uri)).findFirst().orElseThrow();
    }

    private List<String> handedTo(String route, String detector) {
        return handed.getOrDefault(route, List.of()).stream().filter(id -> id.startsWith(detector)).toList();
    }

    @Test
    void aBatchedRouteHandsEveryPluginWhatTheUnbatchedRouteDoes() throws Exception {
        Recording a = detector("a", "A", 1);
        detector("b", "B", 2);
        append(1, 1000);
        route("batched", "&batched=true", "?batchSize=64&maxDelay=60000");
        route("each", "", "?batchSize=64&maxDelay=60000");
        await("both routes through the log", () -> log.committed("batched") == 999 && log.committed("each") == 999);
        assertEquals(expectedAlerts(), handedTo("batched", "A").stream().map(id -> id.substring(2)).toList(), "in order");
        assertEquals(handedTo("each", "A"), handedTo("batched", "A"));
        assertEquals(handedTo("each", "B"), handedTo("batched", "B"));
        for (String step : List.of("amoskys:detector/a?batchSize=64&maxDelay=60000", "amoskys:rule/threes",
                "amoskys:responder/log-batched", "amoskys:responder/log-each")) {
            EndpointDTO counted = endpoint(step);
            assertEquals(0, counted.failed, step);
        }
        EndpointDTO detectorA = endpoint("amoskys:detector/a?batchSize=64&maxDelay=60000");
        assertEquals(2000, detectorA.delivered, "each event of both routes, counted once");
        assertEquals(2 * 142, detectorA.filtered, "the 142 negative values of each route");
        EndpointDTO rule = endpoint("amoskys:rule/threes");
        assertEquals(2 * 2 * (1000 - 142), rule.delivered, "every score of both branches of both routes");
        assertEquals(2 * 2 * (1000 - 142 - expectedAlerts().size()), rule.filtered);
        assertTrue(a.batches.stream().allMatch(b -> b.size() <= 64), "no call past the detector's batchSize");
        assertEquals(2000, a.batches.stream().mapToInt(List::size).sum());
    }

    /** The x of the alerts the rule raises on 1..1000: multiples of 3 that are not multiples of 7. */
    private static List<String> expectedAlerts() {
        List<String> expected = new ArrayList<>();
        for (int x = 3; x <= 1000; x += 3) {
            if (x % 7 != 0) {
                expected.add(Integer.toString(x));
            }
        }
        return expected;
    }

    @Test
    void anEventAPluginFailsOnIsDeadLetteredAloneAndTheRestOfItsBatchGoesOn() throws Exception {
        Recording a = detector("a", "A", 1);
        a.throwsOn = x -> x == 6; // scoreAll fails for its whole call, then 6 fails alone
        detector("b", "B", 2);
        stageThrowsOn = x -> x == 9;
        append(1, 12);
        route("batched", "&batched=true", "");
        await("the batch committed", () -> log.committed() == 11);
        assertEquals(List.of("A-3", "A-12"), handedTo("batched", "A"));
        assertEquals(List.of("B-3", "B-6", "B-12"), handedTo("batched", "B"));
        assertEquals(1, endpoint("amoskys:stage/vec").failed);
        assertEquals(1, endpoint("amoskys:detector/a").failed);
        assertEquals(2, endpoint("amoskys:bus/batched?batchSize=100&batched=true").failed, "the two events, each once");
        assertEquals(2, deadLetters.count());
        String letters = Files.readString(dir.resolve("dead-letters.log"));
        assertTrue(letters.contains("stage broke on 9.0") && letters.contains("bad vector 6.0"), letters);
    }

    @Test
    void aBatchWaitsForAMissingPluginAndASkippingBranchCountsEachEvent() throws Exception {
        registry.unregister(PluginKind.RULE, "threes", 102);
        detector("a", "A", 1);
        append(1, 10);
        route("batched", "&batched=true", "?whenMissing=skip");
        await("the batch held at the rule", () -> endpoint("amoskys:rule/threes").held == 1);
        assertEquals(-1, log.committed(), "nothing committed while the batch waits");
        CorrelationRule rule = score -> List.of(Alert.builder().id(score.detector() + "-" + Math.round(score.value() * 1000))
                .rule("r").entityId(score.entityId()).title("t").scores(List.of(score)).build());
        registry.register(new Plugin(PluginKind.RULE, "threes", rule, 0, 120, 1, "test/1"));
        await("the batch committed", () -> log.committed() == 9);
        assertEquals(List.of("A-1", "A-2", "A-3", "A-4", "A-5", "A-6", "A-8", "A-9", "A-10"), handedTo("batched", "A"));
        assertEquals(0, endpoint("amoskys:rule/threes").deadLettered);
        assertEquals(10, endpoint("amoskys:detector/b?whenMissing=skip").filtered, "each event skipped at the missing b");
    }

    @Test
    void stoppingTheRouteDeadLettersWhatWaitsForAMissingPluginAndCommitsIt() throws Exception {
        registry.unregister(PluginKind.RULE, "threes", 102);
        detector("a", "A", 1);
        detector("b", "B", 2);
        append(1, 10);
        route("batched", "&batched=true", "");
        await("the batch held at the rule", () -> endpoint("amoskys:rule/threes").held >= 1);
        // As when the platform stops: the rule left first, and its route's reader must not wait for it.
        camel.getRouteController().stopRoute("batched");
        assertTrue(Files.readString(dir.resolve("dead-letters.log")).contains("route stopping while the message waited for its plugin"),
                Files.readString(dir.resolve("dead-letters.log")));
        assertEquals(9, log.committed(), "the dead-lettered batch is done with: its offset is committed");
        assertEquals(0, endpoint("amoskys:rule/threes").held);
    }

    @Test
    void statusShowsTheBusEndpointAsWrittenNotAsCamelEncodesIt() {
        BusEndpoint bus = camel.getEndpoint("amoskys:bus/c?kinds=flow,dns&batched=true", BusEndpoint.class);
        assertTrue(bus.getEndpointUri().contains("%2C"), "Camel's form: " + bus.getEndpointUri());
        assertEquals("amoskys:bus/c?batched=true&kinds=flow,dns", PluginEndpoint.displayUri(bus.getEndpointUri()));
        assertTrue(bus.isBatched());
        assertEquals("amoskys:rule/r?x=a+b", PluginEndpoint.displayUri("amoskys://rule/r?x=a+b"), "a plus stays a plus");
    }

    @Test
    void aLinkageErrorFromTheLogMidReadIsALostLogNotTheEndOfTheReader() throws Exception {
        detector("a", "A", 1);
        detector("b", "B", 2);
        append(1, 10);
        // As when the bus bundle is updated under a reading route: its classes go away mid-call.
        log.failNextPoll(new NoClassDefFoundError("io/amoskys/bus/internal/LogCursor"));
        route("batched", "&batched=true", "");
        await("the reader resumed and the batch committed", () -> log.committed() == 9);
    }

    @Test
    void aConsumerNameTheLogCannotKeepIsRefusedWhenTheRouteIsLoaded() {
        // The offset is kept under the name in a column of 128: a longer one would never commit and redeliver for good.
        assertTrue(camel.getEndpoint("amoskys:bus/" + "c".repeat(128)) instanceof BusEndpoint);
        Exception e = assertThrows(Exception.class, () -> camel.getEndpoint("amoskys:bus/" + "c".repeat(129)));
        assertTrue(String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage()).contains("up to 128 letters"), e.toString());
    }

    @Test
    void aDetectorWithBatchSizeOneScoresEachVectorAlone() throws Exception {
        Recording a = detector("a", "A", 1);
        detector("b", "B", 2);
        append(1, 250);
        route("batched", "&batched=true", "?batchSize=1");
        await("the log committed", () -> log.committed() == 249);
        assertEquals(List.of(), a.batches, "no scoreAll call");
        assertEquals(250, a.singles.get());
        assertEquals(expectedAlerts().stream().filter(x -> Integer.parseInt(x) <= 250).map(x -> "A-" + x).toList(),
                handedTo("batched", "A"));
    }
}
