package io.amoskys.camel.snmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.Manifest;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * The bundle's manifest (what Karaf resolves) and the snmp: component it carries, polling a real
 * snmpsim serving one of the shared recordings, checked against net-snmp's snmpget.
 */
class SnmpBundleTest {
    private static final String COMMUNITY = "os-windows__XP";
    private static final String SYS_NAME = "1.3.6.1.2.1.1.5.0";

    private static Manifest manifest() throws Exception {
        try (InputStream in = Files.newInputStream(Path.of("target/classes/META-INF/MANIFEST.MF"))) {
            return new Manifest(in);
        }
    }

    @Test
    void exportsCamelSnmpAndSnmp4jAndImportsCamelFromTheRuntime() throws Exception {
        var main = manifest().getMainAttributes();
        String exports = main.getValue("Export-Package");
        String imports = main.getValue("Import-Package");
        assertTrue(exports.contains("org.apache.camel.component.snmp;version=\"4.14.1\""), exports);
        assertTrue(exports.contains("org.snmp4j;version=\"3.9.6\""), exports);
        assertTrue(exports.contains("org.snmp4j.security;version=\"3.9.6\""), exports);
        assertTrue(imports.contains("org.apache.camel;version=\"[4.14,5)\""), imports);
        assertTrue(imports.contains("org.snmp4j.transport.unix;resolution:=optional"), imports);
        assertNotNull(getClass().getResource("/META-INF/services/org/apache/camel/component/snmp"), "the component's service file");
        String snmp4j = getClass().getResource("/org/snmp4j/Snmp.class").toString();
        assertTrue(snmp4j.startsWith("file:") && snmp4j.contains("target/classes"), "SNMP4J is embedded: " + snmp4j);
    }

    @Test
    void snmpComponentPollsARealAgent() throws Exception {
        Path data = Path.of(System.getProperty("amoskys.snmpData", "../../../../shared/data/snmp")).toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(data.resolve(COMMUNITY + ".snmprec")), "the shared SNMP recordings are missing at " + data);
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/snmpsimd")), "snmpsimd is not installed: apt-get install -y snmpsim");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/snmpget")), "snmpget is not installed: apt-get install -y snmp");
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path work = Files.createTempDirectory("snmpsim");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> command = new ArrayList<>(List.of("snmpsimd", "--data-dir=" + data, "--cache-dir=" + work,
                "--agent-udpv4-endpoint=127.0.0.1:" + port, "--logging-method=stdout"));
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("--process-user=nobody", "--process-group=nogroup"));
        }
        Process simulator = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            CompletableFuture<Void> listening = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(simulator.getInputStream()))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.contains("Listening at")) {
                            listening.complete(null);
                        }
                    }
                } catch (Exception e) {
                    // ended
                }
                listening.completeExceptionally(new IllegalStateException("snmpsimd ended"));
            });
            reader.setDaemon(true);
            reader.start();
            listening.get(120, TimeUnit.SECONDS);

            // Standard error apart: net-snmp's first run on a machine notes there "Created directory: ...".
            ProcessBuilder get = new ProcessBuilder("snmpget", "-v2c", "-c", COMMUNITY, "-On", "-Oqv", "127.0.0.1:" + port, "." + SYS_NAME)
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            get.environment().put("MIBS", "");
            get.environment().put("MIBDIRS", "/nonexistent");
            Process p = get.start();
            String expected = new String(p.getInputStream().readAllBytes()).trim().replace("\"", "");
            assertEquals(0, p.waitFor());

            CompletableFuture<String> polled = new CompletableFuture<>();
            try (CamelContext camel = new DefaultCamelContext()) {
                camel.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("snmp:127.0.0.1:" + port + "?protocol=udp&type=POLL&snmpVersion=1&snmpCommunity=" + COMMUNITY
                                + "&oids=" + SYS_NAME + "&delay=200")
                                .process(e -> polled.complete(e.getMessage().getBody(String.class)));
                    }
                });
                camel.start();
                String body = polled.get(30, TimeUnit.SECONDS);
                assertTrue(body.contains("<oid>" + SYS_NAME + "</oid>") && body.contains("<value>" + expected + "</value>"),
                        "snmpget says " + expected + "; Camel polled " + body);
            }
        } finally {
            simulator.destroy();
            simulator.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
