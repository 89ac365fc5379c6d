package io.amoskys.agent.snmp.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real net-snmp {@code snmpd}, run by the test as the current user on a loopback port, with a
 * configuration and a persistent folder of its own in a temp folder (so {@code createUser} works
 * without touching the machine's snmpd).
 */
public final class NetSnmpAgent implements AutoCloseable {
    private final Path conf;
    private final Path persistent;
    private final int port;
    private ProcessPeer process;

    private NetSnmpAgent(Path conf, Path persistent, int port) {
        this.conf = conf;
        this.persistent = persistent;
        this.port = port;
    }

    /** Starts snmpd with these snmpd.conf lines. */
    public static NetSnmpAgent start(String confLines) throws Exception {
        Peers.require("snmpd", "snmpd");
        Path dir = Files.createTempDirectory("amoskys-snmpd");
        Path conf = dir.resolve("snmpd.conf");
        Files.writeString(conf, confLines);
        NetSnmpAgent agent = new NetSnmpAgent(conf, Files.createDirectories(dir.resolve("persistent")), Peers.freeUdpPort());
        agent.launch();
        return agent;
    }

    private void launch() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(Peers.executable("snmpd"), "-f", "-Lo", "-C", "-c", conf.toString(),
                "udp:127.0.0.1:" + port)).directory(persistent.toFile());
        Peers.quietNetSnmp(pb.environment());
        pb.environment().put("SNMP_PERSISTENT_DIR", persistent.toString());
        process = new ProcessPeer("snmpd", pb, lines -> lines.stream().anyMatch(l -> l.startsWith("NET-SNMP version")));
        process.awaitReady(60);
    }

    /** Stops and starts it again on the same port: a real reboot (sysUpTime starts from 0). */
    public void restart() throws Exception {
        process.close();
        launch();
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
        Peers.deleteTree(persistent.getParent());
    }
}
