package io.amoskys.responder.snmp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real SNMP agent simulator (snmpsim's {@code snmpsimd}) on a loopback UDP port, serving the
 * test's .snmprec recordings; the community of a recording is its file name without .snmprec.
 * Rows tagged {@code writecache} take SETs (kept in memory, by OID, for all recordings of one
 * simulator); rows tagged {@code error} answer a SET with the SNMP error status they name.
 *
 * <p>{@link #startV3} adds one SNMP v3 USM user. snmpsim picks the recording of a v3 request by
 * its context name, else by the transport ID of the endpoint it came in on: the recording is
 * copied under that ID ({@value #V3_DEFAULT_CONTEXT}, the first UDP endpoint), so requests in the
 * default (empty) context, as real switches take them, find it.
 */
final class Simulator implements AutoCloseable {
    /** Where v3 requests in the default context find their recording: the first UDP/IPv4 endpoint's transport ID. */
    static final String V3_DEFAULT_CONTEXT = "1.3.6.1.6.1.1.0";

    private final Process process;
    private final int port;
    private final Path work;

    private Simulator(Process process, int port, Path work) {
        this.process = process;
        this.port = port;
        this.work = work;
    }

    /**
     * A v3 USM user at authPriv, protocols named as the responder and net-snmp name them ({@code SHA-256},
     * {@code AES}, {@code AES-256}); snmpsimd spells them without the dash.
     */
    record V3User(String name, String authProtocol, String authKey, String privProtocol, String privKey) {
        List<String> options() {
            return List.of("--v3-user=" + name, "--v3-auth-key=" + authKey, "--v3-auth-proto=" + authProtocol.replace("-", ""),
                    "--v3-priv-key=" + privKey, "--v3-priv-proto=" + privProtocol.replace("-", ""));
        }
    }

    static Simulator start(String... resources) throws Exception {
        return start(List.of(), List.of(resources), List.of(resources));
    }

    /** One v3 user (and v2c as {@link #start}), serving {@code resource} to v3 requests in the default context. */
    static Simulator startV3(V3User user, String resource) throws Exception {
        return start(user.options(), List.of(resource), List.of(V3_DEFAULT_CONTEXT + ".snmprec"));
    }

    /** {@code resources} copied into the data folder as {@code names}. */
    private static Simulator start(List<String> options, List<String> resources, List<String> names) throws Exception {
        String binary = executable("snmpsimd");
        assumeTrue(binary != null, "snmpsimd is not installed: apt-get install -y snmpsim");
        Path work = Files.createTempDirectory("amoskys-snmpsim");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path cache = Files.createDirectories(work.resolve("cache"));
        cache.toFile().setWritable(true, false);
        Path data = Files.createDirectories(work.resolve("data"));
        data.toFile().setReadable(true, false);
        for (int i = 0; i < resources.size(); i++) {
            String r = resources.get(i);
            Path file = data.resolve(names.get(i));
            try (InputStream in = Simulator.class.getResourceAsStream("/snmprec/" + r)) {
                if (in == null) {
                    throw new IOException("test resource snmprec/" + r + " is missing");
                }
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                file.toFile().setReadable(true, false);
            }
        }
        int port = freeUdpPort();
        List<String> command = new ArrayList<>(List.of(binary, "--cache-dir=" + cache, "--logging-method=stdout",
                "--data-dir=" + data));
        command.addAll(options); // v3 users belong to the engine the endpoint after them starts
        command.add("--agent-udpv4-endpoint=127.0.0.1:" + port);
        if ("root".equals(System.getProperty("user.name"))) {
            command.add("--process-user=nobody");
            command.add("--process-group=nogroup");
        }
        Process p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                        if (lines.size() > 200) {
                            lines.remove(0);
                        }
                    }
                    if (line.contains("Listening at")) {
                        ready.complete(null);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            ready.completeExceptionally(new IllegalStateException("snmpsimd ended before it was ready: " + lines));
        }, "snmpsimd-output");
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(180, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            p.destroyForcibly();
            throw new IllegalStateException("snmpsimd not ready within 180 s: " + lines);
        }
        return new Simulator(p, port, work);
    }

    int port() {
        return port;
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String executable(String binary) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/local/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, binary))) {
                return Path.of(dir, binary).toString();
            }
        }
        return null;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        try (var paths = Files.walk(work)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp folder
        }
    }
}
