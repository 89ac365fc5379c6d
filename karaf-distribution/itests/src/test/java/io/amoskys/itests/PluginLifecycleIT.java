package io.amoskys.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Plugins and routes change while events flow: a vendor detector the platform never saw is
 * installed, stopped, uninstalled and installed again; a route file is rewired and then broken.
 * The tests run in order on one running container, as an operator's session would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PluginLifecycleIT {
    private static final String SPIKE = "amoskys:detector/spike";
    private static final String ZSCORE = "amoskys:detector/zscore";
    /** The same detector through another endpoint, so that its counters are this route's alone. */
    private static final String ZSCORE_REWIRED = "amoskys:detector/zscore?holdCapacity=500";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private KarafInstance karaf;
    private Path vendorRoute;
    private String vendorBundle;
    private long vendorBundleId;

    @BeforeAll
    void boot() throws Exception {
        karaf = KarafInstance.unpack("lifecycle");
        karaf.configure("io.amoskys.agent.process", Map.of("intervalMillis", "500"));
        karaf.start();
        karaf.awaitAllActive();
        vendorRoute = karaf.routes().resolve("vendor.yaml");
        vendorBundle = Path.of(System.getProperty("amoskys.vendorBundle")).toUri().toString();
    }

    @AfterAll
    void stop() throws Exception {
        karaf.close();
    }

    private static String route(String detector) {
        return """
                - route:
                    id: vendor
                    from:
                      uri: amoskys:agent/process
                      steps:
                        - to: amoskys:stage/canonical
                        - to: "%s"
                """.formatted(detector);
    }

    private Status growing(String what, Status before, String uri) {
        return Eventually.await(what, PATIENCE, karaf::status, s -> s.delivered(uri) > before.delivered(uri));
    }

    @Test
    @Order(1)
    void aRouteToAMissingPluginHoldsItsMessagesAndShowsTheGap() throws Exception {
        Files.writeString(vendorRoute, route(SPIKE));
        Status held = Eventually.await("messages held for the missing spike detector", PATIENCE, karaf::status,
                s -> s.endpoint(SPIKE).map(e -> !e.present() && e.held() > 0).orElse(false));
        assertEquals(0, held.delivered(SPIKE));
        // Held messages stay in flight (a message on its way to the gate may be counted too).
        long inflight = held.routes().get("vendor").inflight();
        assertTrue(inflight >= held.held(SPIKE) && inflight <= held.held(SPIKE) + 5,
                "held messages are in flight, not lost: " + inflight + " in flight, " + held.held(SPIKE) + " held");

        String labels = "\\{endpoint=\"amoskys:detector/spike\",kind=\"detector\",plugin=\"spike\"}";
        String metrics = karaf.httpGet("/metrics");
        assertTrue(Pattern.compile("(?m)^amoskys_endpoint_available" + labels + " 0$").matcher(metrics).find(), metrics);
        Matcher gap = Pattern.compile("(?m)^amoskys_endpoint_held" + labels + " (\\d+)$").matcher(metrics);
        assertTrue(gap.find() && Integer.parseInt(gap.group(1)) > 0, "the gap is visible in the metrics: " + metrics);
    }

    @Test
    @Order(2)
    void installingAVendorDetectorFromTheShellDrainsTheHeldMessagesWithoutRestart() {
        Status before = karaf.status();
        int heldBefore = before.held(SPIKE);
        String installed = karaf.client("bundle:install -s " + vendorBundle);
        Matcher id = Pattern.compile("Bundle ID: (\\d+)").matcher(installed);
        assertTrue(id.find(), installed);
        vendorBundleId = Long.parseLong(id.group(1));

        Status drained = Eventually.await("the held messages to reach the new detector", PATIENCE, karaf::status,
                s -> s.hasPlugin("detector", "spike") && s.held(SPIKE) == 0 && s.delivered(SPIKE) >= heldBefore);
        assertEquals(0, drained.deadLettered(SPIKE), "every held message was delivered, none dead-lettered");
        growing("the spike detector to keep receiving events", drained, SPIKE);
        growing("the default pipeline to keep flowing", before, ZSCORE);
        assertEquals("Started", karaf.status().routes().get("vendor").state(), "the route was never restarted");
    }

    @Test
    @Order(3)
    void stoppingAndUninstallingThePluginHoldsItsMessagesAndReinstallingDrainsThem() {
        karaf.client("bundle:stop " + vendorBundleId);
        Status stopped = Eventually.await("messages held again after bundle:stop", PATIENCE, karaf::status,
                s -> s.endpoint(SPIKE).map(e -> !e.present() && e.held() > 0).orElse(false));
        growing("the default pipeline to keep flowing while the plugin is stopped", stopped, ZSCORE);

        karaf.client("bundle:uninstall " + vendorBundleId);
        Status uninstalled = Eventually.await("more messages held after bundle:uninstall", PATIENCE, karaf::status,
                s -> s.held(SPIKE) > stopped.held(SPIKE));
        assertEquals(stopped.delivered(SPIKE), uninstalled.delivered(SPIKE), "nothing reached a missing plugin");
        assertEquals(0, uninstalled.endpoint(SPIKE).orElseThrow().deadLettered(), "nothing dropped below capacity");

        int heldBefore = karaf.status().held(SPIKE);
        karaf.client("bundle:install -s " + vendorBundle);
        Status drained = Eventually.await("the reinstalled plugin to drain what was held", PATIENCE, karaf::status,
                s -> s.held(SPIKE) == 0 && s.delivered(SPIKE) >= uninstalled.delivered(SPIKE) + heldBefore);
        assertEquals(0, drained.deadLettered(SPIKE), "the held messages were delivered, not dead-lettered");
    }

    @Test
    @Order(4)
    void changingTheRouteFileMovesTheFlowToAnotherDetectorWithinSeconds() throws Exception {
        Status before = karaf.status();
        long changedAt = System.nanoTime();
        Files.writeString(vendorRoute, route(ZSCORE_REWIRED));
        Status moved = Eventually.await("the rewired route to reach the other detector", PATIENCE, karaf::status,
                s -> s.delivered(ZSCORE_REWIRED) > 0);
        double seconds = (System.nanoTime() - changedAt) / 1e9;
        assertTrue(seconds < 10, "the flow moved after " + seconds + " s");
        Status later = growing("the rewired route to keep flowing", moved, ZSCORE_REWIRED);
        assertTrue(before.delivered(SPIKE) > 0, "the spike detector was receiving before the change");
        assertTrue(later.endpoint(SPIKE).isEmpty(), "no route sends to the spike detector any more: " + later.endpoints().keySet());
        assertTrue(later.hasPlugin("detector", "spike"), "the plugin itself is still installed");
    }

    @Test
    @Order(5)
    void aBrokenRouteFileIsRejectedWithFileAndLineAndTheRunningRouteKeepsRunning() throws Exception {
        // Line 5 is indented one space too little for the mapping it belongs to.
        Files.writeString(vendorRoute, route(SPIKE).replace("      steps:", "     steps:"));
        String listing = Eventually.await("the broken file to be rejected", PATIENCE,
                () -> karaf.client("amoskys:routes --no-format"), out -> out.contains("REJECTED"));
        assertTrue(listing.contains("vendor.yaml line 5"), listing);
        Status after = growing("the previous route to keep flowing", karaf.status(), ZSCORE_REWIRED);
        assertEquals("Started", after.routes().get("vendor").state());

        Files.writeString(vendorRoute, route("amoskys:nonsense/x"));
        String unknown = Eventually.await("the unknown plugin kind to be rejected", PATIENCE,
                () -> karaf.client("amoskys:routes --no-format"), out -> out.contains("nonsense"));
        assertTrue(unknown.contains("vendor.yaml line 7"), unknown);
        growing("the previous route to keep flowing", karaf.status(), ZSCORE_REWIRED);
        assertTrue(karaf.log().contains("Route file rejected: vendor.yaml line 7"), "the rejection is logged");

        Files.writeString(vendorRoute, route(SPIKE));
        Eventually.await("the repaired file to load", PATIENCE, () -> karaf.client("amoskys:routes --no-format"),
                out -> out.lines().anyMatch(l -> l.startsWith("vendor.yaml") && l.contains("LOADED")));
        growing("the repaired route to reach the spike detector again", karaf.status(), SPIKE);
    }

    @Test
    @Order(6)
    void pastItsCapacityAMissingPluginsMessagesAreDeadLetteredAndCounted() throws Exception {
        String absent = "amoskys:detector/absent?holdCapacity=3";
        Files.writeString(karaf.routes().resolve("overflow.yaml"), route(absent).replace("id: vendor", "id: overflow"));
        Status full = Eventually.await("the hold buffer to fill and overflow", PATIENCE, karaf::status,
                s -> s.endpoint(absent).map(e -> e.held() == 3 && e.deadLettered() > 0).orElse(false));
        long deadLettered = full.endpoint(absent).orElseThrow().deadLettered();
        String letters = Eventually.await(deadLettered + " dead letters to be written", PATIENCE,
                () -> karaf.read("data/amoskys/dead-letters.log"), text -> deadLetters(text) >= deadLettered);
        assertTrue(letters.contains("plugin detector/absent missing and 3 messages already waiting"), letters.lines().findFirst().orElse(""));

        // Removing the route gives back what it held: dead-lettered, not silently dropped. The
        // endpoint goes with the route; the platform-wide count keeps what it dead-lettered.
        long totalBefore = karaf.status().deadLettered();
        Files.delete(karaf.routes().resolve("overflow.yaml"));
        Status released = Eventually.await("the removed route and its endpoint to be gone", PATIENCE, karaf::status,
                s -> s.routes().get("overflow") == null && s.endpoint(absent).isEmpty());
        assertTrue(released.deadLettered() >= totalBefore + 3, "the 3 held messages were dead-lettered: " + released.deadLettered());
        assertTrue(karaf.read("data/amoskys/dead-letters.log").contains("route file overflow.yaml removed"));
    }

    private static long deadLetters(String file) {
        return file.lines().filter(l -> l.contains("\tamoskys:detector/absent") || l.contains("amoskys://detector/absent")).count();
    }
}
