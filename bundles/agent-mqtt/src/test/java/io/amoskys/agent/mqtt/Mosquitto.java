package io.amoskys.agent.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
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
 * A real mosquitto broker for the tests, on a free loopback port, with its configuration,
 * password file and persistence in a test folder. Started and stopped by the tests; a restart
 * keeps the port and the persistence folder, so persistent sessions survive it as in production.
 */
final class Mosquitto implements AutoCloseable {
    private static final long START_TIMEOUT_SECONDS = 20;
    private static final int LINES_PER_PUBLISHER = 10_000;

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

    /** Skips the calling test, saying why, when the broker or its clients are not installed. */
    static void assumeInstalled() {
        assumeTrue(binary("mosquitto") != null && binary("mosquitto_pub") != null && binary("mosquitto_passwd") != null,
                "mosquitto or mosquitto-clients is not installed (apt-get install -y mosquitto mosquitto-clients):"
                        + " skipping the tests against a real broker");
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
     * same one (CI of aaeee48: "Address already in use").
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

    /** A broker accepting anonymous clients. */
    static Mosquitto start(Path dir, String... extraConfig) throws Exception {
        Mosquitto broker = new Mosquitto(dir, freePort(), List.of(extraConfig));
        broker.start();
        return broker;
    }

    /** A broker that accepts only {@code user} with {@code password}. */
    static Mosquitto startWithPassword(Path dir, String user, String password) throws Exception {
        Path passwords = dir.resolve("passwords");
        run(List.of(binary("mosquitto_passwd").toString(), "-c", "-b", passwords.toString(), user, password), null);
        return start(dir, "allow_anonymous false", "password_file " + passwords);
    }

    int port() {
        return port;
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Starts the broker and returns once it listens (it says so in its log). */
    void start() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        List<String> config = new ArrayList<>(List.of(
                "listener " + port + " 127.0.0.1",
                "persistence true",
                "persistence_location " + data + "/",
                // Run as whoever runs the tests: as root, mosquitto would switch to a 'mosquitto'
                // user that cannot write the test's persistence folder.
                "user " + System.getProperty("user.name"),
                "max_queued_messages 1000000",
                "log_dest stderr", // unbuffered: the test reads when it listens
                "log_type error", "log_type warning", "log_type notice", "log_type information"));
        boolean anonymousSet = extraConfig.stream().anyMatch(l -> l.startsWith("allow_anonymous"));
        if (!anonymousSet) {
            config.add("allow_anonymous true");
        }
        config.addAll(extraConfig);
        Path file = dir.resolve("mosquitto.conf");
        Files.write(file, config);
        process = new ProcessBuilder(binary("mosquitto").toString(), "-c", file.toString())
                .redirectErrorStream(true)
                .start();
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

    /** Stops the broker the way an operator would (SIGTERM: it saves its persistence file first). */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    List<String> log() {
        return List.copyOf(log);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    // ---- publishing with mosquitto_pub

    /** One message at QoS 1; returns once the broker acknowledged it. */
    void publish(String topic, String payload, String... credentials) throws Exception {
        List<String> cmd = pubCommand(topic, credentials);
        cmd.addAll(List.of("-m", payload));
        run(cmd, null);
    }

    /** One message whose payload is exactly these bytes. */
    void publishBytes(String topic, byte[] payload) throws Exception {
        Path file = Files.createTempFile(dir, "payload", ".bin");
        Files.write(file, payload);
        List<String> cmd = pubCommand(topic);
        cmd.addAll(List.of("-f", file.toString()));
        run(cmd, null);
    }

    /**
     * Many messages at QoS 1, one per line, {@value #LINES_PER_PUBLISHER} per mosquitto_pub: fed
     * much more in one go, mosquitto 2.0.11 drops the publisher ("disconnected due to out of
     * memory") and mosquitto_pub still exits 0, having lost the rest.
     */
    void publishLines(String topic, List<String> lines) throws Exception {
        for (int from = 0; from < lines.size(); from += LINES_PER_PUBLISHER) {
            List<String> cmd = pubCommand(topic);
            cmd.add("-l");
            run(cmd, String.join("\n", lines.subList(from, Math.min(lines.size(), from + LINES_PER_PUBLISHER))) + "\n");
        }
    }

    private List<String> pubCommand(String topic, String... credentials) {
        List<String> cmd = new ArrayList<>(List.of(binary("mosquitto_pub").toString(), "-h", "127.0.0.1",
                "-p", Integer.toString(port), "-q", "1", "-t", topic));
        if (credentials.length == 2) {
            cmd.addAll(List.of("-u", credentials[0], "-P", credentials[1]));
        }
        return cmd;
    }

    private static void run(List<String> command, String stdin) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), () -> String.join(" ", command) + " failed: " + output);
    }
}
