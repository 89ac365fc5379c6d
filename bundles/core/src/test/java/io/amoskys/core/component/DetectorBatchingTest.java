package io.amoskys.core.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.Agent;
import io.amoskys.api.CorrelationRule;
import io.amoskys.api.Detector;
import io.amoskys.api.EventSink;
import io.amoskys.api.FeatureStage;
import io.amoskys.api.PluginKind;
import io.amoskys.api.Responder;
import io.amoskys.api.admin.EndpointDTO;
import io.amoskys.api.event.Alert;
import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Response;
import io.amoskys.api.event.Score;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.core.plugins.Plugin;
import io.amoskys.core.plugins.PluginRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.DoublePredicate;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Micro-batching of {@code amoskys:detector/NAME} steps on a real Camel context: a batch is
 * scored when it is full, when its oldest vector has waited {@code maxDelay}, or when the sender's
 * input ends (a bus consumer's log batch, a gate's drain); order, failure isolation, the detector
 * swapped or gone between batches, several detectors on one vector (multicast, YAML).
 */
class DetectorBatchingTest {
    private static final FeatureSchema SCHEMA = new FeatureSchema("t", 1, List.of("x"));
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);

    @TempDir
    Path dir;

    private final PluginRegistry registry = new PluginRegistry();
    /** What left the detector step: "detector:x". */
    private final List<String> out = Collections.synchronizedList(new ArrayList<>());
    private final List<EventSink> sinks = new CopyOnWriteArrayList<>();
    private final List<Integer> outAtCommit = new CopyOnWriteArrayList<>();
    private final List<Long> commits = new CopyOnWriteArrayList<>();
    private final MemoryLog log = new MemoryLog(offset -> {
        outAtCommit.add(out.size());
        commits.add(offset);
    });
    /** Events the stage (on the bus consumer's thread) has made vectors of. */
    private final AtomicInteger staged = new AtomicInteger();
    private final EventLogHolder logs = new EventLogHolder();
    private DeadLetters deadLetters;
    private CamelContext camel;
    private AmoskysComponent amoskys;
    private long sequence;

    /** Scores x as x/1000 under its own name; records each scoreAll batch; x < 0 is not its business. */
    static final class Recording implements Detector {
        final String id;
        final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
        final AtomicInteger singles = new AtomicInteger();
        volatile DoublePredicate throwsOn = x -> false;
        volatile boolean scoreAllThrows;
        volatile CountDownLatch gate;

        Recording(String id) {
            this.id = id;
        }

        @Override
        public Score score(FeatureVector v) {
            singles.incrementAndGet();
            return scoreOne(v);
        }

        private Score scoreOne(FeatureVector v) {
            double x = v.get(0);
            if (throwsOn.test(x)) {
                throw new IllegalStateException("bad vector " + x);
            }
            return x < 0 ? null : Score.builder().detector(id).about(v).value(x / 1000).build();
        }

        @Override
        public List<Score> scoreAll(List<FeatureVector> vectors) {
            batches.add(vectors.stream().map(v -> (int) v.get(0)).toList());
            CountDownLatch wait = gate;
            if (wait != null) {
                try {
                    wait.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (scoreAllThrows) {
                throw new IllegalStateException("batch failed");
            }
            List<Score> scores = new ArrayList<>();
            for (FeatureVector v : vectors) {
                scores.add(scoreOne(v));
            }
            return scores;
        }
    }

    @BeforeEach
    void start() throws Exception {
        Agent feed = sink -> {
            sinks.add(sink);
            return () -> sinks.remove(sink);
        };
        FeatureStage stage = (event, current) -> {
            staged.incrementAndGet();
            return new FeatureVector(SCHEMA, event.entityId(), event.timestampNanos(),
                    new double[] {event.metrics().get("x")}, List.of(event.id()));
        };
        registry.register(new Plugin(PluginKind.AGENT, "feed", feed, 0, 100, 1, "test/1"));
        registry.register(new Plugin(PluginKind.STAGE, "vec", stage, 0, 101, 1, "test/1"));
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

    private void route(String from, String detector) throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(from).routeId("r")
                        .to("amoskys:stage/vec")
                        .to(detector)
                        .process(e -> {
                            Score s = e.getMessage().getBody(Score.class);
                            out.add(s.detector() + ":" + Math.round(s.value() * 1000));
                        });
            }
        });
    }

    private TelemetryEvent event(double x) {
        return TelemetryEvent.builder().agentId("a").sequence(sequence++).entityId("e").kind("t").metric("x", x).build();
    }

    private void emit(double... xs) {
        for (double x : xs) {
            TelemetryEvent event = event(x);
            sinks.forEach(sink -> sink.accept(event));
        }
    }

    private Recording detector(String name, String id, int ranking, long serviceId) {
        Recording d = new Recording(id);
        registry.register(new Plugin(PluginKind.DETECTOR, name, d, ranking, serviceId, 2, "vendor/1"));
        return d;
    }

    private EndpointDTO endpoint(String uri) {
        return amoskys.endpointStatus().stream().filter(e -> e.uri.equals(uri)).findFirst().orElseThrow();
    }

    /** Polls {@code condition} for up to 10 s (the test's probe: the component under test never sleeps). */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " not reached in 10 s");
            Thread.sleep(2); // the test's probe, not the component's
        }
    }

    private static List<String> scored(String detector, int from, int to) {
        List<String> expected = new ArrayList<>();
        for (int x = from; x <= to; x++) {
            expected.add(detector + ":" + x);
        }
        return expected;
    }

    @Test
    void aFullBatchIsScoredByOneScoreAllCall() throws Exception {
        String uri = "amoskys:detector/d?batchSize=4&maxDelay=60000";
        Recording d = detector("d", "A", 0, 1);
        route("amoskys:agent/feed", uri);
        emit(1, 2, 3, 4, 5, 6, 7, 8, 9);
        await("two full batches", () -> out.size() == 8);
        assertEquals(scored("A", 1, 8), out);
        assertEquals(List.of(List.of(1, 2, 3, 4), List.of(5, 6, 7, 8)), d.batches);
        assertEquals(0, d.singles.get(), "no vector scored alone");
        assertEquals(8, endpoint(uri).delivered);
        assertEquals(1, camel.getInflightRepository().size("r"), "the ninth waits for its batch (its timer is a minute)");
    }

    @Test
    void aPartialBatchIsScoredOnceItsFirstVectorWaitedMaxDelay() throws Exception {
        Recording d = detector("d", "A", 0, 1);
        route("amoskys:agent/feed", "amoskys:detector/d?maxDelay=100");
        long started = System.nanoTime();
        emit(1, 2, 3);
        assertTrue(out.isEmpty(), "nothing scored before the delay");
        await("the timer's flush", () -> out.size() == 3);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(millis >= 90 && millis < 5000, "scored after " + millis + " ms");
        assertEquals(List.of(List.of(1, 2, 3)), d.batches);
    }

    @Test
    void theEndOfABusBatchScoresWhatItGatheredAtOnceAndTheOffsetIsCommittedAfter() throws Exception {
        Recording d = detector("d", "A", 0, 1);
        for (int x = 1; x <= 10; x++) {
            log.append(event(x));
        }
        long started = System.nanoTime();
        route("amoskys:bus/c?batchSize=100", "amoskys:detector/d?batchSize=4&maxDelay=60000");
        await("the bus batch to go through", () -> log.committed() == 9);
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5), "not held back by the minute-long timer");
        assertEquals(scored("A", 1, 10), out);
        assertEquals(List.of(List.of(1, 2, 3, 4), List.of(5, 6, 7, 8), List.of(9, 10)), d.batches);
        assertEquals(List.of(10), outAtCommit, "the offset was committed once every exchange of the batch had finished");
    }

    /** Detector d (scores "A"), holding its first batch until its gate opens, behind events 1..count in the log. */
    private Recording heldDetectorBehind(int count) {
        Recording d = detector("d", "A", 0, 1);
        d.gate = new CountDownLatch(1);
        for (int x = 1; x <= count; x++) {
            log.append(event(x));
        }
        return d;
    }

    @Test
    void laterBusBatchesGoThroughTheStagesWhileADetectorFinishesAnEarlierOneAndOffsetsAreCommittedInOrder() throws Exception {
        Recording d = heldDetectorBehind(12);
        route("amoskys:bus/c?batchSize=2&batchesInFlight=3", "amoskys:detector/d?batchSize=2&maxDelay=60000");
        await("three bus batches in the route while the detector holds the first", () -> staged.get() == 6);
        assertEquals(List.of(), commits, "nothing committed while the first batch is unfinished");
        assertTrue(staged.get() <= 6, "at most batchesInFlight batches in the route: " + staged.get());
        d.gate.countDown();
        await("every batch through and committed", () -> log.committed() == 11);
        assertEquals(scored("A", 1, 12), out);
        assertEquals(commits.stream().sorted().distinct().toList(), commits, "offsets committed in order: " + commits);
        for (int i = 0; i < commits.size(); i++) {
            assertTrue(outAtCommit.get(i) >= commits.get(i) + 1, "offset " + commits.get(i) + " committed before its events were scored");
        }
    }

    @Test
    void oneBusBatchInFlightReadsTheNextOnlyWhenTheLastIsDone() throws Exception {
        Recording d = heldDetectorBehind(6);
        route("amoskys:bus/c?batchSize=2&batchesInFlight=1", "amoskys:detector/d?batchSize=2&maxDelay=60000");
        await("the first batch at the detector", () -> d.batches.size() == 1);
        assertEquals(2, staged.get(), "the second batch waits for the first");
        d.gate.countDown();
        await("every batch through and committed", () -> log.committed() == 5);
        assertEquals(List.of(1L, 3L, 5L), commits);
    }

    @Test
    void orderIsKeptAcrossBatchesTimersAndFilteredVectors() throws Exception {
        detector("d", "A", 0, 1);
        route("amoskys:agent/feed", "amoskys:detector/d?batchSize=7&maxDelay=1");
        List<String> expected = new ArrayList<>();
        for (int x = 1; x <= 2000; x++) {
            boolean filtered = x % 5 == 0;
            emit(filtered ? -x : x % 1000);
            if (!filtered) {
                expected.add("A:" + x % 1000);
            }
        }
        // The last vector is a filtered one: nothing reaches the output after it, so wait for its count too.
        await("every vector", () -> out.size() == expected.size()
                && endpoint("amoskys:detector/d?batchSize=7&maxDelay=1").filtered == 400);
        assertEquals(expected, out);
    }

    @Test
    void whenScoreAllFailsEachVectorIsScoredAloneAndOnlyTheBadOneFails() throws Exception {
        String uri = "amoskys:detector/d?batchSize=4&maxDelay=60000";
        Recording d = detector("d", "A", 0, 1);
        d.throwsOn = x -> x == 2;
        route("amoskys:agent/feed", uri);
        emit(1, 2, 3, 4);
        await("the batch", () -> out.size() == 3);
        assertEquals(List.of("A:1", "A:3", "A:4"), out);
        assertEquals(4, d.singles.get(), "the batch was scored vector by vector after scoreAll failed");
        EndpointDTO counted = endpoint(uri);
        assertEquals(1, counted.failed);
        assertEquals(4, counted.delivered);

        d.scoreAllThrows = true;
        d.throwsOn = x -> false;
        emit(5, 6, 7, 8);
        await("the second batch", () -> out.size() == 7);
        assertEquals(List.of("A:1", "A:3", "A:4", "A:5", "A:6", "A:7", "A:8"), out);
        assertEquals(1, endpoint(uri).failed);
    }

    @Test
    void aBusEventWhoseVectorFailsIsDeadLetteredAndTheOthersGoOn() throws Exception {
        Recording d = detector("d", "A", 0, 1);
        d.throwsOn = x -> x == 3;
        for (int x = 1; x <= 5; x++) {
            log.append(event(x));
        }
        route("amoskys:bus/c", "amoskys:detector/d?maxDelay=60000");
        await("the bus batch", () -> log.committed() == 4);
        assertEquals(List.of("A:1", "A:2", "A:4", "A:5"), out);
        assertEquals(1, endpoint("amoskys:bus/c").failed);
        assertEquals(1, deadLetters.count());
    }

    @Test
    void aNewDetectorTakesOverBetweenBatchesAndScoresWholeBatches() throws Exception {
        String uri = "amoskys:detector/d?batchSize=4&maxDelay=60000";
        Recording a = detector("d", "A", 0, 1);
        route("amoskys:agent/feed", uri);
        emit(1, 2, 3, 4);
        await("A's batch", () -> out.size() == 4);
        emit(5, 6);
        Recording b = detector("d", "B", 10, 2); // outranks A, arrives while a batch gathers
        emit(7, 8);
        await("B's batch", () -> out.size() == 8);
        registry.unregister(PluginKind.DETECTOR, "d", 2);
        emit(9, 10, 11, 12);
        await("A's second batch", () -> out.size() == 12);
        assertEquals(List.of("A:1", "A:2", "A:3", "A:4", "B:5", "B:6", "B:7", "B:8", "A:9", "A:10", "A:11", "A:12"), out);
        assertEquals(List.of(List.of(1, 2, 3, 4), List.of(9, 10, 11, 12)), a.batches);
        assertEquals(List.of(List.of(5, 6, 7, 8)), b.batches);
    }

    @Test
    void aBatchWhoseDetectorLeftWaitsInFrontOfLaterMessagesUntilItComesBack() throws Exception {
        String uri = "amoskys:detector/d?batchSize=64&maxDelay=50";
        detector("d", "A", 0, 1);
        route("amoskys:agent/feed", uri);
        emit(1, 2);
        registry.unregister(PluginKind.DETECTOR, "d", 1);
        emit(3);
        await("the gathered batch to come back to the gate", () -> endpoint(uri).held == 3);
        assertTrue(out.isEmpty());
        detector("d", "A", 0, 3);
        await("the held messages, drained and batched", () -> out.size() == 3);
        assertEquals(List.of("A:1", "A:2", "A:3"), out);
        assertEquals(0, endpoint(uri).deadLettered);
    }

    @Test
    void sendersWaitWhileTheDetectorIsBehindSoMemoryStaysBounded() throws Exception {
        String uri = "amoskys:detector/d?batchSize=2&maxDelay=60000";
        Recording d = detector("d", "A", 0, 1);
        d.gate = new CountDownLatch(1); // the detector is stuck on its first batch
        route("amoskys:agent/feed", uri);
        AtomicInteger emitted = new AtomicInteger();
        Thread sender = new Thread(() -> {
            for (int x = 1; x <= 100; x++) {
                emit(x);
                emitted.incrementAndGet();
            }
        });
        sender.start();
        // One batch in scoreAll, MAX_SEALED batches waiting, one gathering: then the sender waits.
        int bound = 2 + DetectorBatcher.MAX_SEALED * 2 + 2;
        await("the sender to be held back", () -> sender.getState() == Thread.State.WAITING);
        assertTrue(emitted.get() <= bound, emitted.get() + " emitted, at most " + bound + " expected");
        d.gate.countDown();
        sender.join(10_000);
        await("everything", () -> out.size() == 100);
        assertEquals(scored("A", 1, 100), out);
    }

    @Test
    void stoppingThePlatformScoresWhatWasGatheredInsteadOfWaitingForTheTimer() throws Exception {
        detector("d", "A", 0, 1);
        route("amoskys:agent/feed", "amoskys:detector/d?maxDelay=60000");
        emit(1);
        long started = System.nanoTime();
        camel.stop();
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10));
        assertEquals(List.of("A:1"), out);
    }

    @Test
    void batchOptionsAreForDetectorsAndChecked() {
        assertThrows(Exception.class, () -> camel.getEndpoint("amoskys:stage/vec?batchSize=4"));
        assertThrows(Exception.class, () -> camel.getEndpoint("amoskys:detector/d?batchSize=0"));
        assertThrows(Exception.class, () -> camel.getEndpoint("amoskys:detector/d?maxDelay=-1"));
        PluginEndpoint plain = camel.getEndpoint("amoskys:detector/d", PluginEndpoint.class);
        assertEquals(AmoskysComponent.DEFAULT_BATCH_SIZE, plain.getBatchSize());
        assertEquals(AmoskysComponent.DEFAULT_MAX_DELAY_MILLIS, plain.getMaxDelay());
    }

    /**
     * One vector, several detectors: a detector step replaces the body with its Score, so each
     * detector gets a branch of its own (multicast: each branch starts from the vector). The YAML
     * of docs/ARCHITECTURE.md, with timers of a minute: the end of the bus batch reaches the second
     * branch's batcher through the first one's flusher.
     */
    @Test
    void aMulticastYamlRouteScoresOneVectorWithSeveralDetectors() throws Exception {
        Recording a = detector("a", "A", 0, 1);
        Recording b = detector("b", "B", 0, 2);
        List<String> alerts = new CopyOnWriteArrayList<>();
        CorrelationRule rule = score -> List.of(Alert.builder().id(score.detector() + "-" + Math.round(score.value() * 1000))
                .rule("r").entityId(score.entityId()).title("t").scores(List.of(score)).build());
        Responder responder = alert -> {
            alerts.add(alert.id());
            return new Response("resp", alert.id(), Response.Outcome.DONE, "logged");
        };
        registry.register(new Plugin(PluginKind.RULE, "threshold", rule, 0, 3, 2, "test/1"));
        registry.register(new Plugin(PluginKind.RESPONDER, "log", responder, 0, 4, 2, "test/1"));
        String yaml = """
                - route:
                    id: flow-pipeline
                    from:
                      uri: "amoskys:bus/flow-pipeline"
                      steps:
                        - to: amoskys:stage/vec
                        - multicast:
                            steps:
                              - pipeline:
                                  steps:
                                    - to: "amoskys:detector/a?maxDelay=60000"
                                    - to: amoskys:rule/threshold
                                    - to: amoskys:responder/log
                              - pipeline:
                                  steps:
                                    - to: "amoskys:detector/b?maxDelay=60000"
                                    - to: amoskys:rule/threshold
                                    - to: amoskys:responder/log
                """;
        for (int x = 1; x <= 100; x++) {
            log.append(event(x));
        }
        long started = System.nanoTime();
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("flows.yaml", yaml));
        await("both branches for every event", () -> log.committed() == 99);
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5), "not held back by the timers");
        List<String> expected = new ArrayList<>();
        for (int x = 1; x <= 100; x++) {
            expected.add("A-" + x);
            expected.add("B-" + x);
        }
        assertEquals(expected.size(), alerts.size());
        assertEquals(new java.util.HashSet<>(expected), new java.util.HashSet<>(alerts));
        assertEquals(scored("A", 1, 100).stream().map(s -> s.replace(":", "-")).toList(),
                alerts.stream().filter(s -> s.startsWith("A")).toList(), "each branch in order");
        assertEquals(100, a.batches.stream().mapToInt(List::size).sum());
        assertEquals(100, b.batches.stream().mapToInt(List::size).sum());
        assertTrue(a.batches.size() <= 4 && b.batches.size() <= 4, "batched: " + a.batches.size() + ", " + b.batches.size());
        assertEquals(0, camel.getRoute("flow-pipeline") == null ? -1 : amoskys.endpointStatus().stream().mapToLong(e -> e.failed).sum());
    }

    @Test
    void aDetectorThatFailsInOneBranchLeavesTheOtherBranchesAndTheEventIsDeadLettered() throws Exception {
        Recording a = detector("a", "A", 0, 1);
        a.throwsOn = x -> x == 2;
        detector("b", "B", 0, 2);
        List<String> seen = new CopyOnWriteArrayList<>();
        for (int x = 1; x <= 3; x++) {
            log.append(event(x));
        }
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("amoskys:bus/c").routeId("r").to("amoskys:stage/vec")
                        .multicast()
                            .pipeline().to("amoskys:detector/a").process(e -> seen.add(e.getMessage().getBody(Score.class).detector()
                                    + ":" + Math.round(e.getMessage().getBody(Score.class).value() * 1000))).end()
                            .pipeline().to("amoskys:detector/b").process(e -> seen.add(e.getMessage().getBody(Score.class).detector()
                                    + ":" + Math.round(e.getMessage().getBody(Score.class).value() * 1000))).end()
                        .end();
            }
        });
        await("the bus batch", () -> log.committed() == 2);
        // In order within each branch (across branches the batches interleave as they are scored).
        assertEquals(List.of("A:1", "A:3"), seen.stream().filter(s -> s.startsWith("A")).toList());
        assertEquals(List.of("B:1", "B:2", "B:3"), seen.stream().filter(s -> s.startsWith("B")).toList());
        assertEquals(1, endpoint("amoskys:detector/a").failed);
        assertEquals(1, endpoint("amoskys:bus/c").failed, "the event whose branch failed is counted");
        assertEquals(1, deadLetters.count(), "and kept in the dead-letter file");
    }

    @Test
    void aMissingDetectorOnASkippingBranchDoesNotHoldTheBusRoute() throws Exception {
        detector("a", "A", 0, 1);
        List<String> seen = new CopyOnWriteArrayList<>();
        for (int x = 1; x <= 3; x++) {
            log.append(event(x));
        }
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("amoskys:bus/c").routeId("r").to("amoskys:stage/vec")
                        .multicast()
                            .pipeline().to("amoskys:detector/a").process(e -> seen.add(e.getMessage().getBody(Score.class).detector())).end()
                            .pipeline().to("amoskys:detector/gone?whenMissing=skip").process(e -> seen.add("gone")).end()
                        .end();
            }
        });
        await("the bus batch committed, though detector gone never came", () -> log.committed() == 2);
        assertEquals(List.of("A", "A", "A"), seen);
        assertEquals(3, endpoint("amoskys:detector/gone?whenMissing=skip").filtered);
        assertEquals(0, endpoint("amoskys:detector/gone?whenMissing=skip").held);
    }
}
