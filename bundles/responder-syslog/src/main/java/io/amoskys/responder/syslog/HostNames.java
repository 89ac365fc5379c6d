package io.amoskys.responder.syslog;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Checks a receiver's host as configured: a DNS name or an IP literal, without resolving it. */
final class HostNames {
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern DOTTED_DIGITS = Pattern.compile("[0-9.]+");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private HostNames() {}

    /** The host without IPv6 brackets. */
    static String bare(String host) {
        String h = host == null ? "" : host.strip();
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    /** @return why the host is invalid, or {@code null} */
    static String problem(String host) {
        if (host.isEmpty()) {
            return "host is missing";
        }
        if (host.indexOf(':') >= 0) {
            return ipv6(host) ? null : "host '" + host + "' is no IPv6 address";
        }
        if (DOTTED_DIGITS.matcher(host).matches()) {
            return ipv4(host) ? null : "host '" + host + "' is no IPv4 address";
        }
        if (host.length() > 253) {
            return "host name is longer than 253 characters";
        }
        for (String label : host.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return "host '" + host + "' is no host name (labels of letters, digits and -, separated by dots)";
            }
        }
        return null;
    }

    /** Only hex digits, colons and dots, starting with one of the first two: the JDK parses it as a literal, never asks DNS. */
    static boolean ipv6(String text) {
        if (!IPV6.matcher(text).matches() || text.charAt(0) == '.') {
            return false;
        }
        try {
            InetAddress.getByName(text);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static boolean ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }
}
