package io.amoskys.http.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.List;
import javax.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
    private final ClientAddress behindProxies = ClientAddress.trusting("10.0.0.0/8", "2001:db8::/32", "192.0.2.7");

    /** A request from {@code peer} with these X-Forwarded-For headers (each may list several hops). */
    private static HttpServletRequest request(String peer, boolean tls, String proto, String... forwardedFor) {
        return (HttpServletRequest) Proxy.newProxyInstance(ClientAddressTest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getRemoteAddr" -> peer;
                    case "isSecure" -> tls;
                    case "getHeaders" -> Collections.enumeration("X-Forwarded-For".equals(args[0]) ? List.of(forwardedFor)
                            : "X-Forwarded-Proto".equals(args[0]) && proto != null ? List.of(proto.split(";")) : List.<String>of());
                    default -> null;
                });
    }

    @Test
    void theClientIsTheNearestForwardedAddressThatIsNoTrustedProxy() {
        assertEquals("203.0.113.9", behindProxies.of(request("10.1.2.3", false, null, "203.0.113.9")));
        // A client's own forged entries sit left of what the trusted proxies wrote: never read.
        assertEquals("203.0.113.9", behindProxies.of(request("10.1.2.3", false, null, "198.51.100.1, 203.0.113.9, 10.9.9.9")));
        assertEquals("203.0.113.9", behindProxies.of(request("10.1.2.3", false, null, "1.1.1.1", "203.0.113.9:51234, 192.0.2.7")));
        assertEquals("2001:db9:0:0:0:0:0:1", behindProxies.of(request("2001:db8::5", false, null, "[2001:db9::1]:443")));
        assertEquals("10.9.9.9", behindProxies.of(request("10.1.2.3", false, null, "unknown, 10.9.9.9")), "the last address known");
        assertEquals("10.1.2.3", behindProxies.of(request("10.1.2.3", false, null)), "a proxy that forwards nothing");
        assertEquals("10.0.0.1", behindProxies.of(request("10.1.2.3", false, null, "10.0.0.1")), "only proxies: the farthest");
    }

    @Test
    void fromAnyoneElseTheHeadersAreIgnored() {
        assertEquals("203.0.113.5", behindProxies.of(request("203.0.113.5", false, "https", "10.0.0.1")));
        assertFalse(behindProxies.secure(request("203.0.113.5", false, "https")));
        assertEquals("10.1.2.3", ClientAddress.DIRECT.of(request("10.1.2.3", false, "https", "203.0.113.9")));
        assertFalse(ClientAddress.DIRECT.secure(request("10.1.2.3", false, "https")));
        assertTrue(ClientAddress.DIRECT.secure(request("10.1.2.3", true, null)));
    }

    @Test
    void tlsEndedAtATrustedProxyIsSecure() {
        assertTrue(behindProxies.secure(request("10.1.2.3", false, "https")));
        assertTrue(behindProxies.secure(request("10.1.2.3", false, "http, HTTPS")), "the nearest proxy's word");
        assertFalse(behindProxies.secure(request("10.1.2.3", false, "https, http")));
        assertTrue(behindProxies.secure(request("10.1.2.3", false, "http;https")), "two headers: the last");
        assertFalse(behindProxies.secure(request("10.1.2.3", false, null)));
    }

    @Test
    void onlyThisMachineUnforwardedIsLoopback() {
        assertTrue(ClientAddress.DIRECT.fromLoopback(request("127.0.0.1", false, null)));
        assertTrue(ClientAddress.DIRECT.fromLoopback(request("0:0:0:0:0:0:0:1", false, null)));
        assertTrue(ClientAddress.DIRECT.fromLoopback(request("::ffff:127.0.0.1", false, null, "127.0.0.1")));
        assertFalse(ClientAddress.DIRECT.fromLoopback(request("192.0.2.9", false, null)));
        // A proxy on this machine, listed or not, forwards other hosts' requests over loopback.
        assertFalse(ClientAddress.DIRECT.fromLoopback(request("127.0.0.1", false, null, "203.0.113.9")));
        ClientAddress localProxy = ClientAddress.trusting("127.0.0.1");
        assertFalse(localProxy.fromLoopback(request("127.0.0.1", false, null, "unknown")));
        assertFalse(localProxy.fromLoopback(request("127.0.0.1", false, null, "127.0.0.1, 203.0.113.9")));
        // Claimed through a trusted proxy on another host: that host's loopback is not this one.
        assertFalse(behindProxies.fromLoopback(request("10.1.2.3", false, null, "127.0.0.1")));
    }

    @Test
    void rangesAreNumbersNeverNames() {
        for (String bad : new String[] {"proxy.example", "10.0.0.0/33", "10.0.0.0/x", "1.2", "::1/129", "10.0.0.1:80/8",
                "256.1.2.3", "0.0.0.0/0", "::/0"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClientAddress.trusting(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        assertNull(ClientAddress.literal("localhost"));
        assertNull(ClientAddress.literal("1"));
        for (String notANumber : new String[] {"999.1.1.1", ".:", "..:1", "\u0661:", "fe80::1%eth0"}) {
            assertNull(ClientAddress.literal(notANumber), notANumber);
        }
        ClientAddress narrow = ClientAddress.trusting("10.0.0.128/25");
        assertEquals("203.0.113.1", narrow.of(request("10.0.0.200", false, null, "203.0.113.1")));
        assertEquals("10.0.0.100", narrow.of(request("10.0.0.100", false, null, "203.0.113.1")), "outside the range");
    }
}
