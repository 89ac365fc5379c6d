package io.amoskys.itests;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Free TCP and UDP ports for the tests' servers, each number handed out once per test JVM. A port found free and
 * closed again is free for the system too, so two picks made before either server binds can be
 * the same number: a container's SSH port and a test's MQTT broker once were, and the container,
 * restarted after the broker had taken the port, never listened again.
 */
final class Ports {
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private Ports() {}

    /** A port nothing listens on now and that no other caller in this JVM was given. */
    static synchronized int free() throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
    }

    /** A UDP port nothing is bound to now, whose number no other caller in this JVM was given. */
    static synchronized int freeUdp() throws IOException {
        while (true) {
            try (DatagramSocket socket = new DatagramSocket(0)) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
    }
}
