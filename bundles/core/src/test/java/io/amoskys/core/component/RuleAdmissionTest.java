package io.amoskys.core.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.Agent;
import io.amoskys.api.EventSink;
import io.amoskys.api.FeatureStage;
import io.amoskys.api.PluginKind;
import io.amoskys.api.Responder;
import io.amoskys.api.admin.EndpointDTO;
import io.amoskys.api.alert.Admission;
import io.amoskys.api.alert.AlertStore;
import io.amoskys.api.event.Alert;
import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Response;
import io.amoskys.api.event.Score;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.api.rule.InputRule;
import io.amoskys.api.rule.RuleInput;
import io.amoskys.core.plugins.Plugin;
import io.amoskys.core.plugins.PluginRegistry;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rule over whole observations sees the event and the vector; its alerts pass the alert store before responders. */
class RuleAdmissionTest {
    private static final FeatureSchema SCHEMA = new FeatureSchema("t", 1, List.of("x"));

    @TempDir
    Path dir;

    private final PluginRegistry registry = new PluginRegistry();
    private final List<EventSink> sinks = new ArrayList<>();
    private final List<RuleInput> seen = Collections.synchronizedList(new ArrayList<>());
    private final List<String> responded = Collections.synchronizedList(new ArrayList<>());
    private DeadLetters deadLetters;
    private CamelContext camel;
    private AmoskysComponent amoskys;

    @BeforeEach
    void start() throws Exception {
        Agent feed = sink -> {
            sinks.add(sink);
            return () -> sinks.remove(sink);
        };
        FeatureStage stage = (event, current) -> new FeatureVector(SCHEMA, event.entityId(), event.timestampNanos(),
                new double[] {event.metrics().get("x")}, List.of(event.id()));
        InputRule rule = new InputRule() {
            @Override
            public List<Alert> evaluate(RuleInput input) {
                seen.add(input);
                return input.vector().get(0) > 10 ? List.of(alert(input.event())) : List.of();
            }

            @Override
            public List<Alert> evaluate(Score score) {
                throw new AssertionError("the route has the event: the whole observation is expected");
            }
        };
        Responder responder = alert -> {
            responded.add(alert.id());
            return new Response("r", alert.id(), Response.Outcome.DONE, "noted");
        };
        registry.register(new Plugin(PluginKind.AGENT, "feed", feed, 0, 100, 1, "test/1"));
        registry.register(new Plugin(PluginKind.STAGE, "vec", stage, 0, 101, 1, "test/1"));
        registry.register(new Plugin(PluginKind.RULE, "whole", rule, 0, 102, 1, "test/1"));
        registry.register(new Plugin(PluginKind.RESPONDER, "note", responder, 0, 103, 1, "test/1"));

        deadLetters = new DeadLetters(dir.resolve("dead-letters.log"), 1 << 20);
        camel = new DefaultCamelContext();
        amoskys = new AmoskysComponent(registry, deadLetters, 3, new EventLogHolder());
        camel.addComponent("amoskys", amoskys);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("amoskys:agent/feed").to("amoskys:stage/vec").to("amoskys:rule/whole").to("amoskys:responder/note");
            }
        });
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        deadLetters.close();
    }

    private static Alert alert(TelemetryEvent event) {
        boolean worse = event.metrics().get("x") > 1000;
        return Alert.builder().id("alert-" + event.sequence()).rule("whole").entityId(event.entityId())
                .timestampNanos(event.timestampNanos()).title(worse ? "x is worse" : "x is high").eventIds(List.of(event.id())).build();
    }

    private void emit(long sequence, String entity, double x) {
        TelemetryEvent event = TelemetryEvent.builder().agentId("a").sequence(sequence).entityId(entity).kind("t").metric("x", x).build();
        sinks.forEach(sink -> sink.accept(event));
    }

    /** Groups every alert of an entity after its first; an entity on the list is suppressed. */
    private static AlertStore store(Set<String> suppressed, List<String> admitted) {
        Set<String> open = new HashSet<>();
        return (AlertStore) Proxy.newProxyInstance(RuleAdmissionTest.class.getClassLoader(), new Class<?>[] {AlertStore.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("admit")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    Alert a = (Alert) args[0];
                    admitted.add(a.id());
                    if (a.entityId().equals("boom")) {
                        throw new IllegalStateException("disk full");
                    }
                    if (suppressed.contains(a.entityId())) {
                        return Admission.suppressed("s1");
                    }
                    if (open.add(a.entityId())) {
                        return Admission.created(a.id());
                    }
                    return Admission.grouped("first", a.title().contains("worse"));
                });
    }

    @Test
    void theRuleSeesTheEventAndTheVectorTheStagesMade() {
        emit(1, "e", 3);
        assertEquals(1, seen.size());
        assertEquals("a:1", seen.get(0).event().id());
        assertEquals(3.0, seen.get(0).vector().get(0));
        assertEquals(3.0, seen.get(0).field("x"), "plain names reach the event's metric");
        assertTrue(responded.isEmpty(), "no alert, nothing to respond to");
    }

    @Test
    void onlyNewAlertsReachTheRespondersAndAFailingStoreLetsThemPass() {
        List<String> admitted = new ArrayList<>();
        AlertStore store = store(Set.of("quiet"), admitted);
        amoskys.admission().set(store);
        emit(1, "e", 20);
        emit(2, "e", 30);
        emit(3, "quiet", 40);
        emit(4, "boom", 50);
        emit(5, "e", 5000);
        assertEquals(List.of("alert-1", "alert-2", "alert-3", "alert-4", "alert-5"), admitted, "every alert was offered to the store");
        assertEquals(List.of("alert-1", "alert-4", "alert-5"), responded,
                "grouped and suppressed stop, a grouped one that escalated goes on; the store's failure passes the alert on");
        assertEquals(1, amoskys.admission().failures());

        amoskys.admission().clear(store);
        emit(6, "e", 60);
        assertEquals(List.of("alert-1", "alert-4", "alert-5", "alert-6"), responded, "without a store, alerts pass as they are");
    }

    @Test
    void aBranchWhosePluginIsMissingCanSkipInsteadOfHolding() throws Exception {
        String skipping = "amoskys:detector/absent?batchSize=1&whenMissing=skip";
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("amoskys:agent/feed").to("amoskys:stage/vec").to(skipping).to("amoskys:responder/note");
            }
        });
        emit(1, "e", 3);
        EndpointDTO status = amoskys.endpointStatus().stream().filter(e -> e.uri.equals(skipping)).findFirst().orElseThrow();
        assertEquals(0, status.held, "nothing waits for the missing detector");
        assertEquals(1, status.filtered);
        assertEquals(0, camel.getInflightRepository().size(), "the message finished its route");
    }
}
