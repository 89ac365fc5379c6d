package io.amoskys.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one of src/test/browser's scripts (Debian's chromium through playwright-core) against a
 * running distribution: the script reports on stdout, one line each, and the test may act on a
 * line as it comes (replay a capture once the page is "READY"). Fails unless the script exits 0
 * having printed "DONE". Screenshots go to {@link #shots()}.
 */
final class BrowserScript {
    private static final Path FOLDER = Path.of("src/test/browser").toAbsolutePath();

    private final Path shots;
    private final List<String> lines = new ArrayList<>();

    private BrowserScript(Path shots) {
        this.shots = shots;
    }

    /** Runs {@code script} with BASE_URL, OUT_DIR and the given environment; {@code onLine} sees each line. */
    static BrowserScript run(KarafInstance karaf, String script, String shotsFolder, Map<String, String> env,
            Consumer<String> onLine) throws IOException, InterruptedException {
        assertTrue(Files.isDirectory(FOLDER.resolve("node_modules/playwright-core")),
                "playwright-core is not installed: run .ci/test (it runs npm ci in " + FOLDER + ")");
        BrowserScript result = new BrowserScript(Path.of("target", shotsFolder).toAbsolutePath());
        Files.createDirectories(result.shots);
        ProcessBuilder pb = new ProcessBuilder("node", script).directory(FOLDER.toFile()).redirectErrorStream(true);
        pb.environment().put("BASE_URL", "http://127.0.0.1:" + karaf.httpPort);
        pb.environment().put("OUT_DIR", result.shots.toString());
        pb.environment().putAll(env);
        Process node = pb.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                System.out.println("[browser] " + line);
                result.lines.add(line);
                onLine.accept(line);
            }
        }
        assertTrue(node.waitFor(60, TimeUnit.SECONDS), "the browser test ended");
        assertEquals(0, node.exitValue(), result.transcript());
        assertTrue(result.lines.contains("DONE"), result.transcript());
        return result;
    }

    List<String> lines() {
        return lines;
    }

    String transcript() {
        return String.join("\n", lines);
    }

    Path shots() {
        return shots;
    }
}
