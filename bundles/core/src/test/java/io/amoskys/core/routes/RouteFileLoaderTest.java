package io.amoskys.core.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.admin.RouteFileDTO;
import io.amoskys.core.component.AmoskysComponent;
import io.amoskys.core.component.DeadLetters;
import io.amoskys.core.plugins.PluginRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ServiceStatus;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The route-file loader on a real (plain Java) Camel context with the real YAML DSL. */
class RouteFileLoaderTest {
    @TempDir
    Path dir;

    private CamelContext camel;
    private RouteFileLoader loader;
    private DeadLetters deadLetters;

    private static final String GOOD = """
            - route:
                id: a
                from:
                  uri: direct:a
                  steps:
                    - to: mock-free:end
            """.replace("mock-free:end", "log:end?level=OFF");

    @BeforeEach
    void start() {
        camel = new DefaultCamelContext();
        camel.start();
        loader = new RouteFileLoader(camel);
    }

    @AfterEach
    void stop() {
        loader.close();
        camel.stop();
        if (deadLetters != null) {
            deadLetters.close();
        }
    }

    @Test
    void aGoodFileRunsItsRoutes() {
        RouteFileDTO outcome = loader.load("a.yaml", GOOD);
        assertEquals("LOADED", outcome.state);
        assertEquals(List.of("a"), outcome.routeIds);
        assertNull(outcome.error);
        assertEquals(ServiceStatus.Started, camel.getRouteController().getRouteStatus("a"));
    }

    @Test
    void routesWithoutIdsGetStableOnesFromTheFileName() {
        RouteFileDTO outcome = loader.load("flows.yml", GOOD.replace("    id: a\n", "") + GOOD.replace("id: a", "id: b").replace("direct:a", "direct:b"));
        assertEquals(List.of("flows-1", "b"), outcome.routeIds);
    }

    @Test
    void brokenYamlIsRejectedNamingFileAndLineAndTheOldRouteKeepsRunning() {
        loader.load("a.yaml", GOOD);
        RouteFileDTO outcome = loader.load("a.yaml", GOOD.replace("      steps:", "     steps:"));
        assertEquals("REJECTED", outcome.state);
        assertTrue(outcome.error.startsWith("a.yaml line 5: "), outcome.error);
        assertTrue(outcome.error.contains("expected <block end>"), outcome.error);
        assertEquals(List.of("a"), outcome.routeIds, "the previous routes are still the file's");
        assertEquals(ServiceStatus.Started, camel.getRouteController().getRouteStatus("a"));
    }

    @Test
    void anUnknownEndpointIsRejectedAtItsLineAndTheOldRouteIsRestored() {
        loader.load("a.yaml", GOOD);
        RouteFileDTO outcome = loader.load("a.yaml", GOOD.replace("log:end?level=OFF", "nosuchcomponent:x"));
        assertEquals("REJECTED", outcome.state);
        assertTrue(outcome.error.startsWith("a.yaml line 6: "), outcome.error);
        assertTrue(outcome.error.contains("nosuchcomponent"), outcome.error);
        assertEquals(ServiceStatus.Started, camel.getRouteController().getRouteStatus("a"));
        assertNotNull(camel.getRoute("a"));
    }

    @Test
    void aRouteIdOwnedByAnotherFileIsRefused() {
        loader.load("a.yaml", GOOD);
        RouteFileDTO outcome = loader.load("b.yaml", GOOD.replace("direct:a", "direct:other"));
        assertEquals("REJECTED", outcome.state);
        assertTrue(outcome.error.contains("route id 'a' is already run by a.yaml"), outcome.error);
    }

    @Test
    void unloadingAFileStopsItsRoutes() {
        loader.load("a.yaml", GOOD);
        loader.unload("a.yaml");
        assertNull(camel.getRoute("a"));
        assertTrue(loader.outcomes().isEmpty());
    }

    @Test
    void closingTheLoaderStopsItsRoutesSoThatANewOneCanLoadTheSameFiles() {
        loader.load("a.yaml", GOOD);
        loader.close();
        assertNull(camel.getRoute("a"));
        loader = new RouteFileLoader(camel);
        assertEquals("LOADED", loader.load("a.yaml", GOOD).state);
    }

    /** The amoskys: component on the test's context, with no plugin registered: every message waits. */
    private AmoskysComponent amoskysWithoutPlugins() {
        deadLetters = new DeadLetters(dir.resolve("dead-letters.log"), 1 << 20);
        AmoskysComponent amoskys = new AmoskysComponent(new PluginRegistry(), deadLetters, 10, new io.amoskys.core.component.EventLogHolder());
        camel.addComponent("amoskys", amoskys);
        return amoskys;
    }

    @Test
    void aRejectedFileLeavesTheRunningRoutesAndTheirHeldMessagesAlone() throws Exception {
        AmoskysComponent amoskys = amoskysWithoutPlugins();
        String waiting = GOOD.replace("log:end?level=OFF", "amoskys:detector/missing");
        assertEquals("LOADED", loader.load("a.yaml", waiting).state);
        ProducerTemplate template = camel.createProducerTemplate();
        template.asyncSendBody("direct:a", "one");
        template.asyncSendBody("direct:a", "two");
        awaitHeld(amoskys, 2);

        RouteFileDTO outcome = loader.load("a.yaml", waiting + "        - to: nosuchcomponent:x\n");
        assertEquals("REJECTED", outcome.state);
        assertTrue(outcome.error.startsWith("a.yaml line 7: "), outcome.error);
        assertEquals(2, amoskys.endpointStatus().get(0).held, "the held messages still wait");
        assertEquals(0, deadLetters.count());
        assertEquals(ServiceStatus.Started, camel.getRouteController().getRouteStatus("a"));

        RouteFileDTO stageAsSource = loader.load("a.yaml", GOOD.replace("direct:a", "amoskys:stage/canonical"));
        assertTrue(stageAsSource.error.contains("only an agent can start a route, not a stage"), stageAsSource.error);
        assertEquals(2, amoskys.endpointStatus().get(0).held);
    }

    @Test
    void removingARouteWhoseMessagesWaitForAMissingPluginIsImmediate() throws Exception {
        AmoskysComponent amoskys = amoskysWithoutPlugins();
        loader.load("a.yaml", GOOD.replace("log:end?level=OFF", "amoskys:detector/missing"));
        camel.createProducerTemplate().asyncSendBody("direct:a", "one");
        awaitHeld(amoskys, 1);
        long started = System.nanoTime();
        loader.unload("a.yaml");
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5), "no wait for Camel's stop timeouts");
        assertEquals(1, deadLetters.count(), "the waiting message is dead-lettered, not lost");
        assertTrue(Files.readString(dir.resolve("dead-letters.log")).contains("route file a.yaml removed"));
    }

    private static void awaitHeld(AmoskysComponent amoskys, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (amoskys.endpointStatus().isEmpty() || amoskys.endpointStatus().get(0).held < count) {
            assertTrue(System.nanoTime() < deadline, "messages did not reach the gate");
            Thread.sleep(5); // pause between probes
        }
    }
}
