package io.amoskys.response.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.response.Target;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateways the allowlist protects, from routing tables laid out as /proc/net writes them. */
class AllowlistTest {
    private static final String V4_HEADER =
            "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";

    @TempDir
    Path procNet;

    @Test
    void gatewaysBehindAnInterfaceWhoseNameIsNotUtf8AreStillProtected() throws Exception {
        // The kernel allows any bytes in an interface name but '/', ':' and blanks.
        ByteArrayOutputStream route = new ByteArrayOutputStream();
        route.writeBytes(V4_HEADER.getBytes(StandardCharsets.US_ASCII));
        route.writeBytes(new byte[] {'w', (byte) 0xff, '0'});
        route.writeBytes("\t00000000\t0102A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n".getBytes(StandardCharsets.US_ASCII));
        Files.write(procNet.resolve("route"), route.toByteArray());
        ByteArrayOutputStream v6 = new ByteArrayOutputStream();
        v6.writeBytes(("00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
                + "fe800000000000000000000000000001 00000400 00000001 00000000 00000003     ").getBytes(StandardCharsets.US_ASCII));
        v6.writeBytes(new byte[] {'w', (byte) 0xff, '0', '\n'});
        Files.write(procNet.resolve("ipv6_route"), v6.toByteArray());

        Allowlist allowlist = new Allowlist(List.of(), true, procNet);
        assertEquals(List.of(InetAddress.getByName("192.168.2.1"), InetAddress.getByName("fe80::1")), allowlist.gateways());
        assertEquals(Optional.of("192.168.2.1 is a gateway of this platform"),
                allowlist.protects(Target.of(Target.Kind.ADDRESS, "192.168.2.1")));
    }

    @Test
    void aThreadOfThePlatformIsProtectedLikeThePlatform() throws Exception {
        long self = ProcessHandle.current().pid();
        // This very thread: alive while it is checked. (/proc/thread-self is PID/task/TID.)
        long thread = Long.parseLong(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
        org.junit.jupiter.api.Assumptions.assumeTrue(thread != self, "the test runs on a thread of its own, not the JVM's first");
        Allowlist allowlist = new Allowlist(List.of(), true, procNet);
        assertEquals(Optional.of(thread + " is a thread of the platform"),
                allowlist.protects(Target.of(Target.Kind.PROCESS, thread + ":" + "0".repeat(64))));
        assertEquals(Optional.of("process " + self + " is the platform or one of its parents"),
                allowlist.protects(Target.of(Target.Kind.PROCESS, self + ":" + "0".repeat(64))));
    }

    @Test
    void aMalformedLineCostsOnlyItself() throws Exception {
        Files.writeString(procNet.resolve("route"), V4_HEADER
                + "eth0\t00000000\tZZ02A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
                + "eth1\t00000000\t0101A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n");
        Allowlist allowlist = new Allowlist(List.of(), true, procNet);
        assertEquals(List.of(InetAddress.getByName("192.168.1.1")), allowlist.gateways());
        assertTrue(allowlist.protects(Target.of(Target.Kind.ADDRESS, "198.51.100.7")).isEmpty(), "no gateway, no range: may be acted on");
    }
}
