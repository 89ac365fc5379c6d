package io.amoskys.itests;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Free TCP and UDP ports for the tests' servers, each number handed out once per test JVM. A port
 * found free and closed again is free for the system too, so two picks made before either server
 * binds can be the same number: a container's SSH port and a test's MQTT broker once were, and the
 * container, restarted after the broker had taken the port, never listened again.
 */
final class Ports {
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    /** Binds a socket to a port the system picks, closes it and says which port that was. */
    private interface Probe {
        int port() throws IOException;
    }

    private Ports() {}

    /** A TCP port nothing listens on now and that no other caller in this JVM was given. */
    static int free() throws IOException {
        return handOut(() -> {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        });
    }

    /** A UDP port nothing is bound to now, whose number no other caller in this JVM was given. */
    static int freeUdp() throws IOException {
        return handOut(() -> {
            try (DatagramSocket socket = new DatagramSocket(0)) {
                return socket.getLocalPort();
            }
        });
    }

    private static synchronized int handOut(Probe probe) throws IOException {
        while (true) {
            int port = probe.port();
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
    }
}
