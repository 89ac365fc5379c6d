package io.amoskys.agent.snmp.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A real SNMP agent simulator (snmpsim's {@code snmpsimd}) serving .snmprec recordings, on one or
 * more loopback UDP endpoints; the community of a recording is its file name without .snmprec.
 */
public final class Simulator implements AutoCloseable {
    private final ProcessPeer process;
    private final List<Integer> ports;
    private final Path work;

    private Simulator(ProcessPeer process, List<Integer> ports, Path work) {
        this.process = process;
        this.ports = ports;
        this.work = work;
    }

    /**
     * Starts snmpsimd on {@code endpoints} ports serving the recordings of {@code dataDirs} and the
     * named test resources (copied from the class path's {@code snmprec/} folder).
     */
    public static Simulator start(List<Path> dataDirs, List<String> resources, int endpoints) throws Exception {
        List<String> at = new ArrayList<>();
        for (int i = 0; i < endpoints; i++) {
            at.add("127.0.0.1:" + Peers.freeUdpPort());
        }
        return start(dataDirs, resources, at);
    }

    /** Starts snmpsimd serving the named test resources on one endpoint: a loopback address of choice, and a port. */
    public static Simulator startAt(List<String> resources, String loopbackAddress, int port) throws Exception {
        return start(List.of(), resources, List.of(loopbackAddress + ":" + port));
    }

    private static Simulator start(List<Path> dataDirs, List<String> resources, List<String> endpoints) throws Exception {
        Peers.require("snmpsimd", "snmpsim");
        Path work = Peers.openTempDir("amoskys-snmpsim");
        Path cache = Files.createDirectories(work.resolve("cache"));
        cache.toFile().setWritable(true, false);
        List<String> command = new ArrayList<>(List.of(Peers.executable("snmpsimd"), "--cache-dir=" + cache, "--logging-method=stdout"));
        if (Peers.root()) {
            command.add("--process-user=nobody");
            command.add("--process-group=nogroup");
        }
        for (Path d : dataDirs) {
            command.add("--data-dir=" + d);
        }
        if (!resources.isEmpty()) {
            Path own = Files.createDirectories(work.resolve("data"));
            for (String r : resources) {
                try (InputStream in = Simulator.class.getResourceAsStream("/snmprec/" + r)) {
                    if (in == null) {
                        throw new IOException("test resource snmprec/" + r + " is missing");
                    }
                    Files.copy(in, own.resolve(r), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            command.add("--data-dir=" + own);
        }
        List<Integer> ports = new ArrayList<>();
        for (String endpoint : endpoints) {
            ports.add(Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1)));
            command.add("--agent-udpv4-endpoint=" + endpoint);
        }
        ProcessPeer p = new ProcessPeer("snmpsimd", new ProcessBuilder(command).directory(work.toFile()),
                lines -> lines.stream().filter(l -> l.contains("Listening at")).count() >= endpoints.size());
        p.awaitReady(180);
        return new Simulator(p, ports, work);
    }

    public int port(int endpoint) {
        return ports.get(endpoint);
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
        Peers.deleteTree(work);
    }
}
