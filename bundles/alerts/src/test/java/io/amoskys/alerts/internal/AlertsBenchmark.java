package io.amoskys.alerts.internal;

import io.amoskys.api.alert.Admission;
import io.amoskys.api.alert.SuppressionDTO;
import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark, not a test: {@code admit()} rate by outcome, on the real disk (the build folder), with
 * Derby's durable commits. New alerts (a distinct entity each) wait for their group commit; grouped
 * ones (100 open alerts) are answered once decided by the writer; suppressed ones are matched on the
 * caller's thread. Alerts are built before the clock starts. Prints the table kept in
 * docs/PERFORMANCE.md.
 *
 * <pre>mvn -o test -pl bundles/alerts -Dtest=AlertsBenchmark -Damoskys.benchmark=true</pre>
 */
@EnabledIfSystemProperty(named = "amoskys.benchmark", matches = "true")
class AlertsBenchmark {
    private static final long T0 = Alerts.T0;

    @Test
    void admitRates() throws Exception {
        System.out.printf("%n| outcome | callers | alerts | alerts/s | p50 µs | p99 µs |%n");
        System.out.printf("|---|---:|---:|---:|---:|---:|%n");
        for (int callers : new int[] {1, 4}) {
            run("new", callers, 1_500 * callers, i -> Alerts.alert("bench", "10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255), T0 + i), null);
        }
        for (int callers : new int[] {1, 4}) { // each new alert past the cap has an open one resolved
            run("new, past maxOpenAlerts (1,000 open before)", callers, 1_500 * callers,
                    i -> Alerts.alert("bench", "10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255), T0 + i), store -> {
                        for (int k = 0; k < 1_000; k++) {
                            store.admit(Alerts.alert("before", "host-" + k, T0));
                        }
                    }, StoreSettings.defaults().withMaxOpenAlerts(1_000));
        }
        for (int callers : new int[] {1, 4}) {
            run("grouped", callers, 200_000, i -> Alerts.alert("bench", "host-" + (i % 100), T0 + i), store -> {
                for (int k = 0; k < 100; k++) {
                    store.admit(Alerts.alert("bench", "host-" + k, T0));
                }
            });
        }
        for (int callers : new int[] {1, 4}) {
            run("suppressed (exact)", callers, 1_000_000, i -> Alerts.alert("bench", "host-" + (i % 100), T0 + i), store -> {
                for (int k = 0; k < 100; k++) {
                    SuppressionDTO s = new SuppressionDTO();
                    s.rule = "bench";
                    s.entity = "host-" + k;
                    store.suppress(s);
                }
            });
        }
        run("suppressed (pattern, 100 in force)", 1, 1_000_000, i -> Alerts.alert("bench", "10.9." + (i % 250) + ".1", T0 + i), store -> {
            for (int k = 0; k < 100; k++) {
                SuppressionDTO s = new SuppressionDTO();
                s.rule = "b*";
                s.entity = "10." + k + ".*";
                store.suppress(s);
            }
        });
    }

    private static io.amoskys.api.alert.AlertQuery openQuery() {
        io.amoskys.api.alert.AlertQuery q = new io.amoskys.api.alert.AlertQuery();
        q.states = List.of("open");
        return q;
    }

    interface Maker {
        Alert alert(int i);
    }

    interface Setup {
        void prepare(DerbyAlertStore store) throws Exception;
    }

    private void run(String outcome, int callers, int alerts, Maker maker, Setup setup) throws Exception {
        run(outcome, callers, alerts, maker, setup, StoreSettings.defaults());
    }

    private void run(String outcome, int callers, int alerts, Maker maker, Setup setup, StoreSettings settings) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "alerts-bench");
        DerbyAlertStore store = new DerbyAlertStore(dir.resolve("db"), settings, Clock.systemUTC());
        try {
            if (setup != null) {
                setup.prepare(store);
            }
            Alert[] made = new Alert[alerts];
            for (int i = 0; i < alerts; i++) {
                made[i] = maker.alert(i);
            }
            long[] latencies = new long[alerts];
            Admission.Outcome[] expected = {null};
            List<Thread> threads = new ArrayList<>();
            int[] wrong = new int[callers];
            long started = System.nanoTime();
            for (int c = 0; c < callers; c++) {
                int caller = c;
                Thread t = new Thread(() -> {
                    for (int i = caller; i < alerts; i += callers) {
                        long t0 = System.nanoTime();
                        Admission a = store.admit(made[i]);
                        latencies[i] = System.nanoTime() - t0;
                        if (!outcome.startsWith(a.outcome().name().toLowerCase(java.util.Locale.ROOT))) {
                            wrong[caller]++;
                        }
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            store.sync();
            if (Arrays.stream(wrong).sum() > 0) {
                throw new IllegalStateException(Arrays.stream(wrong).sum() + " alerts were not " + outcome);
            }
            long open = store.count(openQuery());
            if (open > settings.maxOpenAlerts()) {
                throw new IllegalStateException(open + " alerts open, past maxOpenAlerts " + settings.maxOpenAlerts());
            }
            Arrays.sort(latencies);
            System.out.printf("| %s | %d | %,d | %,.0f | %.1f | %.1f |%n", outcome, callers, alerts, alerts / seconds,
                    latencies[alerts / 2] / 1e3, latencies[(int) (alerts * 0.99)] / 1e3);
        } finally {
            store.close();
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        TimeUnit.MILLISECONDS.sleep(100);
    }
}
