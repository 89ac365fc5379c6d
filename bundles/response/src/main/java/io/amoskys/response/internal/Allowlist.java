package io.amoskys.response.internal;

import io.amoskys.api.response.Target;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What no action may ever target: the platform's own addresses and process, this machine's
 * gateways, loopback, and the configured ranges. Interfaces and routes are read at each check
 * (actions are few), so an address added later is protected too.
 */
final class Allowlist {
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private final List<Cidr> ranges;
    private final boolean gateways;
    private final Path procNet;

    Allowlist(List<Cidr> ranges, boolean gateways, Path procNet) {
        this.ranges = List.copyOf(ranges);
        this.gateways = gateways;
        this.procNet = procNet;
    }

    /** @throws IllegalArgumentException naming the first entry that is no address or range */
    static List<Cidr> parse(String[] entries) {
        List<Cidr> out = new ArrayList<>();
        for (String entry : entries) {
            if (!entry.isBlank()) {
                out.add(Cidr.parse(entry.trim()));
            }
        }
        return out;
    }

    /** Why the target must not be acted on, or empty when it may. */
    Optional<String> protects(Target target) {
        return switch (target.kind()) {
            case ADDRESS -> protectsAddress(target.value());
            case PROCESS -> protectsProcess(target.value());
            default -> Optional.empty();
        };
    }

    private Optional<String> protectsAddress(String text) {
        InetAddress address;
        try {
            address = literal(text);
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return Optional.of(text + " is a loopback, wildcard or multicast address");
        }
        for (Cidr range : ranges) {
            if (range.contains(address)) {
                return Optional.of(text + " is allowlisted (" + range + ")");
            }
        }
        if (own(address)) {
            return Optional.of(text + " is an address of this platform");
        }
        if (gateways && gateways().contains(address)) {
            return Optional.of(text + " is a gateway of this platform");
        }
        return Optional.empty();
    }

    /** An address written as digits only: dotted-quad IPv4 or IPv6 (with ':'), never a name to look up. */
    static InetAddress literal(String text) {
        if (!IPV4.matcher(text).matches() && !IPV6.matcher(text).matches()) {
            throw new IllegalArgumentException(text + " is not an IP address");
        }
        try {
            return InetAddress.getByName(text); // a literal: no name lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text + " is not an IP address", e);
        }
    }

    private static boolean own(InetAddress address) {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress mine : Collections.list(nic.getInetAddresses())) {
                    if (sameAddress(mine, address)) {
                        return true;
                    }
                }
            }
            return false;
        } catch (SocketException e) {
            return true; // cannot tell: protect
        }
    }

    private static boolean sameAddress(InetAddress a, InetAddress b) {
        return java.util.Arrays.equals(a.getAddress(), b.getAddress());
    }

    /**
     * The default gateways of the routing tables (IPv4 and IPv6). A line that cannot be read is
     * skipped, not the rest of its table; an interface name is the kernel's bytes, not always UTF-8.
     */
    List<InetAddress> gateways() {
        List<InetAddress> out = new ArrayList<>();
        List<String> v4 = lines(procNet.resolve("route"));
        for (String line : v4.subList(Math.min(1, v4.size()), v4.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 2 && !f[2].equals("00000000")) {
                gateway(f[2], true).ifPresent(out::add);
            }
        }
        for (String line : lines(procNet.resolve("ipv6_route"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 4 && !f[4].equals("0".repeat(32))) {
                gateway(f[4], false).ifPresent(out::add);
            }
        }
        return out;
    }

    /** An unreadable routing table protects nothing more; the configured ranges still hold. */
    private static List<String> lines(Path table) {
        try {
            return new String(Files.readAllBytes(table), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** A gateway column: 8 hex digits in host (little-endian) order for IPv4, 32 in network order for IPv6. */
    private static Optional<InetAddress> gateway(String hex, boolean littleEndianV4) {
        try {
            byte[] b = HexFormat.of().parseHex(hex);
            if (b.length != (littleEndianV4 ? 4 : 16)) {
                return Optional.empty();
            }
            return Optional.of(InetAddress.getByAddress(littleEndianV4 ? new byte[] {b[3], b[2], b[1], b[0]} : b));
        } catch (IllegalArgumentException | UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> protectsProcess(String value) {
        long pid;
        try {
            pid = Long.parseLong(value.split(":", 2)[0]);
        } catch (NumberFormatException e) {
            return Optional.of(value + " names no process id");
        }
        if (pid <= 1) {
            return Optional.of("process " + pid + " is the system's init or no process");
        }
        ProcessHandle self = ProcessHandle.current();
        for (Optional<ProcessHandle> p = Optional.of(self); p.isPresent(); p = p.get().parent()) {
            if (p.get().pid() == pid) {
                return Optional.of("process " + pid + " is the platform or one of its parents");
            }
        }
        // A thread id reads like a process under /proc, and kill(2) on it signals the whole platform.
        if (java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/task", Long.toString(pid)))) {
            return Optional.of(pid + " is a thread of the platform");
        }
        return Optional.empty();
    }

    /** An address range. */
    record Cidr(byte[] network, int prefix, String text) {
        static Cidr parse(String text) {
            String[] parts = text.split("/", 2);
            InetAddress address;
            try {
                address = literal(parts[0]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("allow entry '" + text + "': " + e.getMessage());
            }
            int bits = address.getAddress().length * 8;
            int prefix = bits;
            if (parts.length == 2) {
                try {
                    prefix = Integer.parseInt(parts[1]);
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("allow entry '" + text + "': the prefix must be 0 to " + bits);
                }
            }
            return new Cidr(address.getAddress(), prefix, text);
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (a[full] & mask) == (network[full] & mask);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
