package io.amoskys.responder.snmp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * net-snmp's {@code snmpget}: a second, independent SNMP v3 implementation, reading what the
 * simulator holds, so a test of v3 SETs does not trust the code under test to check itself.
 */
final class NetSnmp {
    private NetSnmp() {}

    /** ifAdminStatus of {@code ifIndex} at the simulator on {@code port}, read as {@code user}. */
    static int ifAdminStatus(int port, Simulator.V3User user, int ifIndex) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/snmpget")), "net-snmp's snmpget is not installed: apt-get install -y snmp");
        Path home = Files.createTempDirectory("amoskys-netsnmp");
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of("/usr/bin/snmpget", "-v3", "-l", "authPriv", "-u", user.name(),
                    "-a", user.authProtocol(), "-A", user.authKey(), "-x", user.privProtocol(), "-X", user.privKey(),
                    "-t", "2", "-r", "1", "-Oqve", "127.0.0.1:" + port, PortClient.oid(ifIndex).toDottedString()));
            // Its own configuration and state folders: nothing from this machine's net-snmp set-up, nothing left behind.
            pb.environment().put("SNMPCONFPATH", home.toString());
            pb.environment().put("SNMP_PERSISTENT_DIR", home.toString());
            pb.environment().put("MIBS", ""); // no MIB files: numbers in, numbers out, no warnings about missing ones
            Path errors = home.resolve("stderr");
            Process p = pb.redirectError(errors.toFile()).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("snmpget failed: " + out + " " + Files.readString(errors));
            }
            return Integer.parseInt(out);
        } finally {
            try (var files = Files.walk(home)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
