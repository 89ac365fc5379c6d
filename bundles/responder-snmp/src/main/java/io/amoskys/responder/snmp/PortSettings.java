package io.amoskys.responder.snmp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The responder's configuration, checked. Invalid values are kept out (and reported by
 * {@link #problems()}) rather than thrown, so the platform can say why it refuses to arm.
 */
final class PortSettings {
    /**
     * One device and the ports of it that may be set.
     *
     * @param security how requests to it are secured; null when its configuration has a problem
     */
    record Device(String name, String host, int port, BitSet ifIndexes, Security security) {
        boolean allows(int ifIndex) {
            return ifIndex > 0 && ifIndexes.get(ifIndex);
        }

        /** The agent's address as written in receipts: {@code host:port}, IPv6 in brackets. */
        String address() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    static final int MAX_IFINDEX = 1 << 20;
    private static final Secret COMMUNITY = new Secret("communityFile", ".community", "community");
    private static final Pattern DEVICE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern ENTRY = Pattern.compile("([^=\\s]+)\\s*=\\s*(\\[[^\\]]*\\]|[^:/\\s]+)(?::(\\d{1,5}))?\\s*/\\s*(.+)");
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern IPV4ISH = Pattern.compile("[0-9.]+");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern RANGE = Pattern.compile("(\\d{1,7})(?:\\s*-\\s*(\\d{1,7}))?");

    final Map<String, Device> devices;
    final long timeoutMillis;
    final int retries;
    final long disableSeconds;
    /** {@code null}: from the entity; else the group-by key. */
    final String deviceKey;
    final String portKey;
    final Path stateDir;
    private final List<String> problems = new ArrayList<>();

    /** {@code properties}: all of the configuration, for the per-device keys ({@link DeviceKeys}). */
    PortSettings(SnmpPortConfig c, Map<String, ?> properties) {
        devices = secured(devices(c.ports()), c, properties);
        timeoutMillis = c.timeoutMillis();
        if (timeoutMillis <= 0) {
            problems.add("timeoutMillis must be positive, was " + timeoutMillis);
        }
        retries = c.retries();
        if (retries < 0) {
            problems.add("retries must be 0 or more, was " + retries);
        }
        disableSeconds = c.disableSeconds();
        if (disableSeconds <= 0) {
            problems.add("disableSeconds must be positive, was " + disableSeconds);
        }
        deviceKey = source("deviceFrom", c.deviceFrom());
        portKey = source("portFrom", c.portFrom());
        stateDir = stateDir(c.stateDir());
    }

    private Map<String, Device> devices(String[] entries) {
        Map<String, Device> out = new LinkedHashMap<>();
        for (String raw : entries == null ? new String[0] : entries) {
            String entry = raw == null ? "" : raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            Matcher m = ENTRY.matcher(entry);
            if (!m.matches()) {
                problems.add("ports entry '" + entry + "' is not DEVICE=HOST[:PORT]/IFINDEX[,IFINDEX...]");
                continue;
            }
            String name = m.group(1);
            if (!DEVICE_NAME.matcher(name).matches()) {
                problems.add("ports entry '" + entry + "': device name '" + name + "' is not 1 to 64 letters, digits or _.-");
                continue;
            }
            String host = host(m.group(2));
            if (host == null) {
                problems.add("ports entry '" + entry + "': '" + m.group(2) + "' is no IP address or host name");
                continue;
            }
            int port = m.group(3) == null ? 161 : Integer.parseInt(m.group(3));
            if (port < 1 || port > 65535) {
                problems.add("ports entry '" + entry + "': UDP port " + port + " is not between 1 and 65535");
                continue;
            }
            BitSet indexes = ifIndexes(entry, m.group(4));
            if (indexes == null) {
                continue;
            }
            if (out.containsKey(name)) {
                problems.add("ports names device '" + name + "' twice: list all its ifIndexes in one entry");
                continue;
            }
            out.put(name, new Device(name, host, port, indexes, null));
        }
        if (out.isEmpty() && problems.isEmpty()) {
            problems.add("ports lists no port: this responder may disable none (add DEVICE=HOST/IFINDEX entries)");
        }
        return out;
    }

    /** The devices with their security: v2c with the shared community, or v3 as their device.NAME.* keys say. */
    private Map<String, Device> secured(Map<String, Device> devices, SnmpPortConfig c, Map<String, ?> properties) {
        DeviceKeys keys = new DeviceKeys(properties, devices.keySet(), problems);
        String community = COMMUNITY.read("", c.communityFile(), c._community(), problems);
        boolean v2c = false;
        Map<String, Device> out = new LinkedHashMap<>();
        for (Device d : devices.values()) {
            String version = keys.version(d.name(), problems);
            Security security = null;
            if ("3".equals(version)) {
                security = keys.usm(d.name(), problems);
            } else if ("2c".equals(version)) {
                v2c = true;
                security = community == null ? null : new Security.Community(community);
            }
            out.put(d.name(), new Device(d.name(), d.host(), d.port(), d.ifIndexes(), security));
        }
        if (v2c && !Secret.given(c.communityFile(), c._community())) {
            problems.add("no write community: set communityFile (or .community)");
        }
        return Map.copyOf(out);
    }

    /** An IP literal (IPv6 in brackets) or a host name, resolved only when an action runs; else null. */
    static String host(String text) {
        if (text.startsWith("[")) {
            String inner = text.substring(1, text.length() - 1);
            return inner.indexOf(':') >= 0 && IPV6.matcher(inner).matches() && literal(inner) ? inner : null;
        }
        if (IPV4ISH.matcher(text).matches()) {
            String[] parts = text.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            for (String p : parts) {
                if (p.isEmpty() || p.length() > 3 || Integer.parseInt(p) > 255) {
                    return null;
                }
            }
            return text;
        }
        return HOSTNAME.matcher(text).matches() ? text : null;
    }

    /** Whether an IPv6 text parses as an address (a literal: no name lookup happens). */
    private static boolean literal(String ipv6) {
        try {
            java.net.InetAddress.getByName(ipv6);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private BitSet ifIndexes(String entry, String list) {
        BitSet out = new BitSet();
        for (String part : list.split(",")) {
            Matcher r = RANGE.matcher(part.strip());
            if (!r.matches()) {
                problems.add("ports entry '" + entry + "': '" + part.strip() + "' is no ifIndex (a number or a range N-M)");
                return null;
            }
            int from = Integer.parseInt(r.group(1));
            int to = r.group(2) == null ? from : Integer.parseInt(r.group(2));
            if (from < 1 || to > MAX_IFINDEX || from > to) {
                problems.add("ports entry '" + entry + "': ifIndex '" + part.strip() + "' is not within 1.." + MAX_IFINDEX
                        + " (ranges go upwards)");
                return null;
            }
            out.set(from, to + 1);
        }
        return out;
    }

    private String source(String key, String configured) {
        String v = configured == null ? "" : configured.strip();
        if (v.equals("entity")) {
            return null;
        }
        if (v.startsWith("groupBy:") && v.length() > "groupBy:".length()) {
            return v.substring("groupBy:".length());
        }
        problems.add(key + " '" + v + "' is neither 'entity' nor 'groupBy:KEY'");
        return null;
    }

    private Path stateDir(String configured) {
        String v = configured == null ? "" : configured.strip();
        if (!v.isEmpty()) {
            return Path.of(v);
        }
        String data = System.getProperty("karaf.data");
        if (data == null) {
            problems.add("karaf.data is not set: configure stateDir");
            return null;
        }
        return Path.of(data, "amoskys", "responder-snmp");
    }

    /** What is wrong: the checks of the configuration, plus a state folder that cannot be written now. */
    List<String> problems() {
        List<String> out = new ArrayList<>(problems);
        if (stateDir != null) {
            try {
                Files.createDirectories(stateDir);
                if (!Files.isWritable(stateDir)) {
                    out.add("stateDir " + stateDir + " is not writable by this process");
                }
            } catch (IOException | RuntimeException e) {
                out.add("stateDir " + stateDir + " cannot be made: " + e);
            }
        }
        return out;
    }
}
