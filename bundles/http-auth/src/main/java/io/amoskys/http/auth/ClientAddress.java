package io.amoskys.http.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import javax.servlet.http.HttpServletRequest;

/**
 * Who sent a request, through the reverse proxies the operator trusts (a TLS terminator in front of
 * the platform). From a trusted proxy, the client is the nearest address in {@code X-Forwarded-For}
 * that is not itself a trusted proxy, and {@code X-Forwarded-Proto: https} makes the request secure;
 * from anyone else both headers are ignored, since a client can write them. Without it every user
 * behind a proxy shares the proxy's address, so failed logins from one lock out all, and the
 * session cookie loses {@code Secure}.
 *
 * @since 2.5
 */
public final class ClientAddress {
    /** Trusts no proxy: the connection's peer is the client. */
    public static final ClientAddress DIRECT = new ClientAddress(List.of());
    /** An X-Forwarded-For longer than this is not read: a forged one could be long. */
    private static final int MAX_HOPS = 32;

    private final List<Range> trusted;

    private ClientAddress(List<Range> trusted) {
        this.trusted = trusted;
    }

    /**
     * @param ranges addresses or CIDR ranges, IPv4 or IPv6, as numbers (never host names, which
     *     would be looked up)
     * @throws IllegalArgumentException naming the first entry that is no address or range
     */
    public static ClientAddress trusting(String... ranges) {
        List<Range> parsed = new ArrayList<>();
        for (String range : ranges == null ? new String[0] : ranges) {
            if (range != null && !range.isBlank()) {
                parsed.add(Range.parse(range.strip()));
            }
        }
        return new ClientAddress(Collections.unmodifiableList(parsed));
    }

    /** The client's address as this class finds it, in the form {@code getRemoteAddr} gives. */
    public String of(HttpServletRequest request) {
        String peer = String.valueOf(request.getRemoteAddr());
        if (!isTrusted(peer)) {
            return peer;
        }
        List<String> hops = forwardedFor(request);
        String nearest = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = literal(hops.get(i));
            if (hop == null) {
                return nearest; // a proxy wrote something that is no address ("unknown"): the last one known
            }
            nearest = hop.getHostAddress();
            if (!isTrusted(hop)) {
                return nearest;
            }
        }
        return nearest;
    }

    /** Whether the request came over TLS, to the platform or to a trusted proxy in front of it. */
    public boolean secure(HttpServletRequest request) {
        if (request.isSecure()) {
            return true;
        }
        if (!isTrusted(String.valueOf(request.getRemoteAddr()))) {
            return false;
        }
        String nearest = null; // the nearest proxy's word: the last value of the last header
        for (String header : Collections.list(request.getHeaders("X-Forwarded-Proto"))) {
            String[] values = header.split(",");
            nearest = values.length == 0 ? nearest : values[values.length - 1];
        }
        return nearest != null && "https".equals(nearest.strip().toLowerCase(Locale.ROOT));
    }

    /**
     * Whether the request comes from this machine: over loopback, and not forwarded for another
     * host. Stricter than {@link #of}: a proxy on this machine, trusted or not, forwards others'
     * requests over loopback, so any X-Forwarded-For hop that is not itself loopback (or that is no
     * address) makes the request remote.
     */
    public boolean fromLoopback(HttpServletRequest request) {
        if (!isLoopback(String.valueOf(request.getRemoteAddr()))) {
            return false;
        }
        for (String hop : forwardedFor(request)) {
            if (!isLoopback(hop)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLoopback(String address) {
        InetAddress parsed = literal(address);
        return parsed != null && parsed.isLoopbackAddress();
    }

    private boolean isTrusted(String address) {
        if (trusted.isEmpty()) {
            return false;
        }
        InetAddress parsed = literal(address);
        return parsed != null && isTrusted(parsed);
    }

    private boolean isTrusted(InetAddress address) {
        for (Range range : trusted) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> forwardedFor(HttpServletRequest request) {
        List<String> hops = new ArrayList<>();
        for (String header : Collections.list(request.getHeaders("X-Forwarded-For"))) {
            for (String hop : header.split(",")) {
                if (hops.size() == MAX_HOPS) {
                    hops.remove(0); // keep the nearest: those are the ones trusted proxies wrote
                }
                hops.add(hop.strip());
            }
        }
        return hops;
    }

    /**
     * The address written as a number (IPv4, IPv6, IPv6 in brackets, either with a port), never
     * looked up; null for anything else.
     */
    static InetAddress literal(String text) {
        return literal(text, true);
    }

    private static InetAddress literal(String text, boolean withPort) {
        String s = text.strip();
        if (!withPort) {
            // as it is
        } else if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0) {
                return null;
            }
            s = s.substring(1, end);
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':') && s.indexOf('.') > 0) {
            s = s.substring(0, s.indexOf(':')); // IPv4 with a port
        }
        if (s.isEmpty() || s.length() > 45 || !(isHexDigit(s.charAt(0)) || s.charAt(0) == ':')
                || !s.chars().allMatch(c -> isHexDigit(c) || c == '.' || c == ':')) {
            return null; // anything else might reach the resolver
        }
        boolean v4 = s.indexOf(':') < 0;
        if (v4 && !isDottedQuad(s)) {
            return null; // InetAddress would read "1" or "1.2" as addresses, and look "256.1.2.3" up as a name
        }
        try {
            return InetAddress.getByName(s); // a literal: no lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** ASCII only: Character.digit also takes other scripts' digits. */
    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isDottedQuad(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (!part.matches("\\d{1,3}") || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** An address range: a network address and the number of leading bits that must match. */
    private record Range(byte[] network, int bits) {
        static Range parse(String text) {
            int slash = text.indexOf('/');
            InetAddress address = literal(slash < 0 ? text : text.substring(0, slash), false);
            if (address == null || (slash < 0 ? false : !text.substring(slash + 1).matches("\\d{1,3}"))) {
                throw new IllegalArgumentException("trustedProxies: '" + text + "' is no IP address or CIDR range");
            }
            byte[] network = address.getAddress();
            int bits = slash < 0 ? network.length * 8 : Integer.parseInt(text.substring(slash + 1));
            if (bits > network.length * 8) {
                throw new IllegalArgumentException("trustedProxies: '" + text + "' has more prefix bits than the address");
            }
            if (bits == 0) {
                throw new IllegalArgumentException("trustedProxies: '" + text + "' would trust every peer, whose "
                        + "X-Forwarded-For then names any client it likes");
            }
            return new Range(network, bits);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < bits; bit += 8) {
                int mask = bits - bit >= 8 ? 0xff : (0xff << (8 - (bits - bit))) & 0xff;
                if (((candidate[bit / 8] ^ network[bit / 8]) & mask) != 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
