package io.amoskys.agent.snmp.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Helpers for the real SNMP peers the tests start: binaries, free ports, readable temp folders. */
public final class Peers {
    private Peers() {}

    /** Skips the test, saying which Debian package to install, when a binary is not installed. */
    public static void require(String binary, String debianPackage) {
        assumeTrue(onPath(binary), binary + " is not installed: apt-get install -y " + debianPackage);
    }

    public static boolean onPath(String binary) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, binary))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", binary));
    }

    public static String executable(String binary) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, binary))) {
                return Path.of(dir, binary).toString();
            }
        }
        return binary;
    }

    /** A UDP port free on the loopback interface now. */
    public static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A temp folder every user may read (snmpsimd drops to 'nobody' when started as root). */
    public static Path openTempDir(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        return dir;
    }

    public static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** net-snmp without MIB files: numeric OIDs only, and no complaints about missing MIBs. */
    public static void quietNetSnmp(Map<String, String> env) {
        env.put("MIBS", "");
        env.put("MIBDIRS", "/nonexistent");
    }

    /**
     * The result of one command line tool run: what it printed on standard output (the values),
     * and on standard error apart (net-snmp's notes, such as the first run's "Created directory").
     */
    public record Run(int exitCode, String output, String errors) {}

    /** Runs a net-snmp tool (snmpget, snmpwalk, snmptrap, ...) to its end, at most 60 s. */
    public static Run run(String... command) throws IOException, InterruptedException {
        Path errors = Files.createTempFile("net-snmp", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of(command)).redirectError(errors.toFile());
            quietNetSnmp(pb.environment());
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not end within 60 s");
            }
            return new Run(p.exitValue(), new String(out).trim(), Files.readString(errors).trim());
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    /** Runs a tool that must succeed; returns its output. */
    public static String ok(String... command) throws IOException, InterruptedException {
        Run r = run(command);
        if (r.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + r.exitCode() + ": " + r.output() + " " + r.errors());
        }
        return r.output();
    }

    /** Deletes a temp folder the test made, with everything in it. */
    public static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: it is a temp folder
        }
    }

    static List<String> tail(List<String> lines) {
        synchronized (lines) {
            return new ArrayList<>(lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
    }
}
