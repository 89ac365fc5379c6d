package io.amoskys.agent.snmp.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.snmp4j.CommunityTarget;
import org.snmp4j.PDU;
import org.snmp4j.Snmp;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * A real SNMP agent simulator (snmpsim's {@code snmpsimd}) serving .snmprec recordings, on one or
 * more loopback UDP endpoints; the community of a recording is its file name without .snmprec.
 */
public final class Simulator implements AutoCloseable {
    private final ProcessPeer process;
    private final List<String> endpoints;
    private final List<Integer> ports;
    private final Path work;

    private Simulator(ProcessPeer process, List<String> endpoints, List<Integer> ports, Path work) {
        this.process = process;
        this.endpoints = endpoints;
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
        return new Simulator(p, List.copyOf(endpoints), ports, work);
    }

    public int port(int endpoint) {
        return ports.get(endpoint);
    }

    /**
     * Sets values of the recording {@code community} at the first endpoint, with SNMP4J (snmpset
     * cannot send Counter32/Counter64); the recording takes them through its writecache variation.
     *
     * @param oidsAndValues OID, Variable, OID, Variable, ...
     */
    public void set(String community, Object... oidsAndValues) throws Exception {
        try (Snmp snmp = new Snmp(new DefaultUdpTransportMapping())) {
            snmp.listen();
            PDU pdu = new PDU();
            pdu.setType(PDU.SET);
            for (int i = 0; i < oidsAndValues.length; i += 2) {
                pdu.add(new VariableBinding((OID) oidsAndValues[i], (Variable) oidsAndValues[i + 1]));
            }
            String endpoint = endpoints.get(0);
            int colon = endpoint.lastIndexOf(':');
            CommunityTarget<UdpAddress> target = new CommunityTarget<>(
                    new UdpAddress(endpoint.substring(0, colon) + "/" + endpoint.substring(colon + 1)), new OctetString(community));
            target.setVersion(SnmpConstants.version2c);
            target.setTimeout(3000);
            ResponseEvent<UdpAddress> r = snmp.send(pdu, target);
            if (r.getResponse() == null || r.getResponse().getErrorStatus() != 0) {
                throw new AssertionError("SET in the simulator: " + r.getResponse());
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
        Peers.deleteTree(work);
    }
}
