package io.amoskys.alerts.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.alert.AlertQuery;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An alert {@code admit} answered NEW survives the death of the JVM: a child JVM admits alerts and
 * is killed (SIGKILL, no shutdown of Derby); this JVM then opens the database, which Derby recovers
 * from its log, and finds every one.
 */
class KillTest {
    @TempDir
    Path dir;

    @Test
    void admittedAlertsSurviveKillMinus9() throws Exception {
        Path db = dir.resolve("alerts");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dderby.stream.error.file=" + dir.resolve("derby-child.log"), KilledWriter.class.getName(), db.toString(), "50")
                .redirectErrorStream(true).start();
        List<String> admitted = new ArrayList<>();
        List<String> output = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                output.add(line);
                if (line.startsWith("NEW ")) {
                    admitted.add(line.substring(4));
                } else if (line.equals("READY")) {
                    break;
                }
            }
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child died");
        } finally {
            child.destroyForcibly();
        }
        assertEquals(50, admitted.size(), String.join("\n", output));

        DerbyAlertStore store = new DerbyAlertStore(db, StoreSettings.defaults(), Clock.systemUTC());
        try {
            for (String id : admitted) {
                assertTrue(store.get(id).isPresent(), "alert " + id + " was acknowledged as NEW, then lost");
            }
            assertEquals(50, store.count(new AlertQuery()));
            assertEquals("acknowledged", store.get(admitted.get(0)).orElseThrow().state);
            assertEquals("otto", store.get(admitted.get(0)).orElseThrow().history.get(0).user);
        } finally {
            store.close();
        }
    }
}
