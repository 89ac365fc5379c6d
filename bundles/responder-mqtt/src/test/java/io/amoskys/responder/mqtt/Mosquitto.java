package io.amoskys.responder.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A real mosquitto broker for the tests (as bundles/agent-mqtt's tests start it), on a free
 * loopback port with its configuration in a test folder. A restart keeps the port.
 */
final class Mosquitto implements AutoCloseable {
    private static final long START_TIMEOUT_SECONDS = 20;

    private final Path dir;
    private final int port;
    private final List<String> extraConfig;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private Process process;

    private Mosquitto(Path dir, int port, List<String> extraConfig) {
        this.dir = dir;
        this.port = port;
        this.extraConfig = extraConfig;
    }

    /** Skips the calling test, saying why, when the broker is not installed. */
    static void assumeInstalled() {
        assumeTrue(binary("mosquitto") != null && binary("mosquitto_passwd") != null,
                "mosquitto is not installed (apt-get install -y mosquitto): skipping the tests against a real broker");
    }

    /** The named program on PATH or in /usr/sbin (where Debian puts mosquitto), or null. */
    static Path binary(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/sbin"));
        for (String d : dirs) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
                return Path.of(d, name);
            }
        }
        return null;
    }

    /**
     * A loopback port free now and not handed out before in this JVM: the system may give a port
     * just closed again, so two picks in a row (a broker's plain and TLS listeners) could be the
     * same one.
     */
    static int freePort() throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
    }

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /** A broker accepting anonymous clients, with these extra configuration lines. */
    static Mosquitto start(Path dir, String... extraConfig) throws Exception {
        Mosquitto broker = new Mosquitto(dir, freePort(), List.of(extraConfig));
        broker.start();
        return broker;
    }

    /** A broker that accepts only {@code user} with {@code password}. */
    static Mosquitto startWithPassword(Path dir, String user, String password) throws Exception {
        Path passwords = dir.resolve("passwords");
        Process p = new ProcessBuilder(binary("mosquitto_passwd").toString(), "-c", "-b", passwords.toString(), user, password)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "mosquitto_passwd failed: " + output);
        return start(dir, "allow_anonymous false", "password_file " + passwords);
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Starts the broker and returns once it listens (it says so in its log). */
    void start() throws Exception {
        List<String> config = new ArrayList<>(List.of(
                "listener " + port + " 127.0.0.1",
                "persistence false",
                // Run as whoever runs the tests: as root, mosquitto would switch to a 'mosquitto' user.
                "user " + System.getProperty("user.name"),
                "log_dest stderr", // unbuffered: the test reads when it listens
                "log_type error", "log_type warning", "log_type notice", "log_type information"));
        if (extraConfig.stream().noneMatch(l -> l.startsWith("allow_anonymous"))) {
            config.add("allow_anonymous true");
        }
        config.addAll(extraConfig);
        Path file = dir.resolve("mosquitto.conf");
        Files.write(file, config);
        process = new ProcessBuilder(binary("mosquitto").toString(), "-c", file.toString()).redirectErrorStream(true).start();
        CompletableFuture<Void> running = new CompletableFuture<>();
        Process started = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    log.add(line);
                    if (line.contains(" running")) {
                        running.complete(null);
                    }
                }
            } catch (IOException e) {
                // the broker went away; start() reports it below if it never ran
            }
            running.completeExceptionally(new IllegalStateException("mosquitto exited before it listened: " + log));
        }, "mosquitto-log-" + port);
        reader.setDaemon(true);
        reader.start();
        try {
            running.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            stop(); // a broker that failed to start must not outlive the test
            throw new IllegalStateException("mosquitto did not say it runs within " + START_TIMEOUT_SECONDS + " s: " + log, e);
        }
    }

    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
