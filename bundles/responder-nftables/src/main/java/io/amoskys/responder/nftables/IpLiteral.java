package io.amoskys.responder.nftables;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IP address written as a literal, in its canonical text (dotted quad; RFC 5952 for IPv6).
 * Never resolves names: the text it parses ends up in an nft script, and nft itself would resolve
 * a host name.
 */
record IpLiteral(String text, boolean v4) {
    private static final Pattern V4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern V6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /**
     * @throws IllegalArgumentException naming why the text is no address that may be blocked
     */
    static IpLiteral parse(String raw) {
        String s = raw == null ? "" : raw.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        InetAddress address;
        if (V4.matcher(s).matches()) {
            address = parsed(s);
        } else if (s.indexOf(':') >= 0 && V6_CHARS.matcher(s).matches()) {
            // In brackets the JDK takes the text as an IPv6 literal or fails: it never asks DNS.
            address = parsed("[" + s + "]");
        } else {
            throw new IllegalArgumentException("'" + raw + "' is not an IP address literal (names are never resolved)");
        }
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isMulticastAddress()
                || "255.255.255.255".equals(address.getHostAddress())) {
            throw new IllegalArgumentException("'" + raw + "' is not a single remote host's address "
                    + "(unspecified, loopback, broadcast or multicast)");
        }
        return address instanceof Inet4Address
                ? new IpLiteral(address.getHostAddress(), true)
                : new IpLiteral(rfc5952(address.getAddress()), false);
    }

    private static InetAddress parsed(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + literal + "' is not a valid IP address: " + e.getMessage(), e);
        }
    }

    /** Lower case, no leading zeros, the longest run (of two or more) of zero groups as "::". */
    static String rfc5952(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    /** The nft type of the set this address goes into. */
    String nftType() {
        return v4 ? "ipv4_addr" : "ipv6_addr";
    }
}
