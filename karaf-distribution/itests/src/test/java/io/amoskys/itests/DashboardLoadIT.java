package io.amoskys.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.alerts.internal.DerbyAlertStore;
import io.amoskys.alerts.internal.StoreSettings;
import io.amoskys.api.alert.Admission;
import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Severity;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dashboard stays responsive with a loaded store: 10,000 alerts over 1,000 entities, written
 * by the platform's own alert store into the distribution's database before it starts; then
 * Debian's chromium (src/test/browser/dashboard-load.js) logs in, waits for live updates and opens
 * the alert list and an alert, timing each. The figures go to docs/PERFORMANCE.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardLoadIT {
    static final int ENTITIES = 1000;
    static final int RULES = 10;
    private static final Severity[] SEVERITIES = {Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL, Severity.MEDIUM};

    private KarafInstance karaf;

    @BeforeAll
    void boot() throws Exception {
        karaf = KarafInstance.unpack("dashboard-load");
        assertEquals(ENTITIES * RULES, fill(karaf.home.resolve("data/amoskys/alerts")), "every alert stored as new");
        karaf.start();
        karaf.awaitAllActive();
        karaf.addUsers("ops secret-ops operator");
    }

    @AfterAll
    void stop() throws Exception {
        karaf.close();
    }

    /** Admits RULES alerts for each of ENTITIES hosts from four callers (the store shares its commits); returns how many were new. */
    private static long fill(Path dir) throws Exception {
        DerbyAlertStore store = new DerbyAlertStore(dir, StoreSettings.defaults(), Clock.systemUTC());
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            long now = System.currentTimeMillis() * 1_000_000L;
            List<Future<Boolean>> admitted = new ArrayList<>();
            for (int e = 0; e < ENTITIES; e++) {
                String host = "host:10.1." + e / 256 + "." + e % 256;
                for (int r = 0; r < RULES; r++) {
                    Alert alert = Alert.builder().id(UUID.randomUUID().toString()).rule("load-rule-" + r).entityId(host)
                            .timestampNanos(now - (long) (e * RULES + r) * 1_000_000L).severity(SEVERITIES[(e + r) % SEVERITIES.length])
                            .title("load rule " + r + " on " + host).tags(List.of("attack.t1046")).eventIds(List.of("load:" + e + "-" + r))
                            .build();
                    admitted.add(callers.submit(() -> store.admit(alert).outcome() == Admission.Outcome.NEW));
                }
            }
            long fresh = 0;
            for (Future<Boolean> f : admitted) {
                fresh += f.get(120, TimeUnit.SECONDS) ? 1 : 0;
            }
            return fresh;
        } finally {
            callers.shutdown();
            store.close();
        }
    }

    @Test
    void theDashboardStaysResponsiveWithTenThousandAlertsOverAThousandEntities() throws Exception {
        String transcript = BrowserScript.run(karaf, "dashboard-load.js", "screenshots/load",
                Map.of("OPERATOR", "ops:secret-ops"), line -> { }).transcript();
        // What the page showed was the loaded store: all 10,000 open and the entities ranked.
        // (The process route may have raised a few of its own since the start.)
        Matcher open = Pattern.compile("(?m)^OPEN_ALERTS (\\d+)$").matcher(transcript);
        assertTrue(open.find() && Long.parseLong(open.group(1)) >= ENTITIES * RULES, transcript);
        Matcher total = Pattern.compile("(?m)^LISTED (\\d+)$").matcher(transcript);
        assertTrue(total.find() && Long.parseLong(total.group(1)) >= ENTITIES * RULES, transcript);
    }
}
