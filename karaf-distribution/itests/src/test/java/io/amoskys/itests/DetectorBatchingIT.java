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
 * Detector steps in micro-batches on the running platform: one vector scored by two detectors
 * through a route file with a multicast (one branch per detector, each detector → rule →
 * responder), a vendor detector installed while it runs, the batch options checked when a file is
 * loaded. The default routes (batched by default) keep flowing beside it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DetectorBatchingIT {
    private static final String ZSCORE = "amoskys:detector/zscore?maxDelay=20";
    private static final String SPIKE = "amoskys:detector/spike?batchSize=16";
    private static final String DEFAULT_ZSCORE = "amoskys:detector/zscore";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private KarafInstance karaf;

    @BeforeAll
    void boot() throws Exception {
        karaf = KarafInstance.unpack("batching");
        karaf.configure("io.amoskys.agent.process", Map.of("intervalMillis", "500"));
        karaf.configure("io.amoskys.rule.threshold", Map.of("minScore", "0.0", "cooldownSeconds", "0"));
        karaf.start();
        karaf.awaitAllActive();
    }

    @AfterAll
    void stop() throws Exception {
        karaf.close();
    }

    @Test
    @Order(1)
    void aMulticastRouteScoresEachVectorWithTwoDetectors() throws Exception {
        String installed = karaf.client("bundle:install -s " + Path.of(System.getProperty("amoskys.vendorBundle")).toUri());
        Matcher id = Pattern.compile("Bundle ID: (\\d+)").matcher(installed);
        assertTrue(id.find(), installed);
        Eventually.await("the vendor detector", PATIENCE, karaf::status, s -> s.hasPlugin("detector", "spike"));

        Files.writeString(karaf.routes().resolve("multi.yaml"), """
                - route:
                    id: multi
                    from:
                      uri: "amoskys:bus/multi?kinds=process"
                      steps:
                        - to: amoskys:stage/canonical
                        - multicast:
                            steps:
                              - pipeline:
                                  steps:
                                    - to: "%s"
                                    - to: amoskys:rule/threshold
                                    - to: amoskys:responder/log
                              - pipeline:
                                  steps:
                                    - to: "%s"
                                    - to: amoskys:rule/threshold
                                    - to: amoskys:responder/log
                """.formatted(ZSCORE, SPIKE));
        Status first = Eventually.await("both branches to score", PATIENCE, karaf::status,
                s -> s.delivered(ZSCORE) > 0 && s.delivered(SPIKE) > 0);
        Status later = Eventually.await("both branches to keep scoring", PATIENCE, karaf::status,
                s -> s.delivered(ZSCORE) > first.delivered(ZSCORE) + 100 && s.delivered(SPIKE) > first.delivered(SPIKE) + 100);
        Status.Route route = later.routes().get("multi");
        assertEquals("Started", route.state());
        assertEquals(0, route.failed(), "no exchange failed");
        assertEquals(0, later.endpoint(ZSCORE).orElseThrow().failed());
        assertEquals(0, later.endpoint(SPIKE).orElseThrow().failed());
        // Every vector reaches both branches: the counts differ by what is in flight at most.
        long gap = Math.abs(later.delivered(ZSCORE) - later.delivered(SPIKE));
        assertTrue(gap <= 300, "both detectors see the same vectors: " + later.delivered(ZSCORE) + " and " + later.delivered(SPIKE));
        assertTrue(later.delivered(DEFAULT_ZSCORE) > 0, "the default routes' batched detector flows too");
        later.endpoints().values().forEach(e -> assertEquals(0, e.held(), e.uri() + " holds nothing"));
        // Alerts leave the branches after their scores are counted: wait for both in the audit log.
        Eventually.await("alerts of both branches to reach the responder", PATIENCE,
                () -> karaf.read("data/log/amoskys-audit.log"), a -> a.contains("spike") && a.contains("zscore"));
    }

    @Test
    @Order(2)
    void batchOptionsOnAnythingButADetectorRejectTheFile() throws Exception {
        Files.writeString(karaf.routes().resolve("wrong.yaml"), """
                - route:
                    id: wrong
                    from:
                      uri: "amoskys:bus/wrong?kinds=process"
                      steps:
                        - to: "amoskys:stage/canonical?batchSize=8"
                """);
        String listing = Eventually.await("the file to be rejected", PATIENCE, () -> karaf.client("amoskys:routes --no-format"),
                out -> out.lines().anyMatch(l -> l.startsWith("wrong.yaml") && l.contains("REJECTED")));
        assertTrue(listing.contains("batchSize applies to detectors only"), listing);
        Files.delete(karaf.routes().resolve("wrong.yaml"));
    }
}
