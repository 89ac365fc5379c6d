package io.amoskys.rules.sigma;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address block (IPv4 or IPv6) and a test of textual addresses against it; never resolves names. */
final class Cidr {
    private final byte[] network;
    private final int prefix;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /** @throws IllegalArgumentException when {@code text} is not an address block such as 10.0.0.0/8 */
    static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = literal(address);
        if (bytes == null) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address block");
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0.." + bytes.length * 8);
            }
        }
        return new Cidr(bytes, prefix);
    }

    boolean contains(String address) {
        byte[] bytes = literal(address);
        if (bytes == null || bytes.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (bytes[full] & mask) == (network[full] & mask);
    }

    /** The bytes of an IPv4 or IPv6 literal, or null for anything else (no name is ever looked up). */
    static byte[] literal(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        if (s.indexOf(':') < 0) {
            String[] parts = s.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                String p = parts[i];
                if (p.isEmpty() || p.length() > 3) {
                    return null;
                }
                int v = 0;
                for (int j = 0; j < p.length(); j++) {
                    char c = p.charAt(j);
                    if (c < '0' || c > '9') {
                        return null;
                    }
                    v = v * 10 + (c - '0');
                }
                if (v > 255) {
                    return null;
                }
                b[i] = (byte) v;
            }
            return b;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                return null; // also keeps zone ids and names out of InetAddress
            }
        }
        try {
            byte[] b = InetAddress.getByName(s).getAddress(); // a literal: no lookup
            return b.length == 16 ? b : null;
        } catch (UnknownHostException | RuntimeException e) {
            return null;
        }
    }
}
