package io.amoskys.agent.snmp;

import io.amoskys.agent.snmp.poll.UsmProtocols;
import io.amoskys.agent.snmp.profile.ProfileCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One device's configuration (a factory configuration {@code io.amoskys.agent.snmp-NAME}), checked
 * once: every problem names the property that has it, so that a bad .cfg file says what to fix.
 *
 * @param v3 the SNMPv3 credentials; null for v2c
 */
public record DeviceSettings(String name, String host, int port, Version version, String community, V3 v3,
        Duration pollInterval, List<String> profiles, Duration timeout, int retries, int maxRepetitions, int maxRows) {

    /** The SNMP versions a device is polled with. v1 is left out: it has no 64-bit counters and no GETBULK. */
    public enum Version {
        V2C("2c"), V3("3");

        private final String label;

        Version(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** SNMPv3 USM credentials; the security level follows from which passwords are set. */
    public record V3(String user, String authProtocol, String authPassword, String privProtocol, String privPassword,
            String engineId) {
        public boolean authenticates() {
            return authPassword != null;
        }

        public boolean encrypts() {
            return privPassword != null;
        }

        public String securityLevel() {
            return encrypts() ? "authPriv" : authenticates() ? "authNoPriv" : "noAuthNoPriv";
        }

        /** The same credentials: what two devices sharing a user name without an engine ID must have. */
        boolean sameSecrets(V3 other) {
            return java.util.Objects.equals(authProtocol, other.authProtocol) && java.util.Objects.equals(authPassword, other.authPassword)
                    && java.util.Objects.equals(privProtocol, other.privProtocol) && java.util.Objects.equals(privPassword, other.privPassword);
        }

        @Override
        public String toString() {
            return "V3[user=" + user + ", " + securityLevel() + ", auth=" + authProtocol + ", priv=" + privProtocol
                    + (engineId == null ? "" : ", engineId=" + engineId) + "]";
        }
    }

    public static final String PID = "io.amoskys.agent.snmp";
    /** Where Karaf's file installer says a configuration came from: the name's default. */
    static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern HEX = Pattern.compile("(0x)?([0-9A-Fa-f]{2}){5,32}");

    public DeviceSettings {
        profiles = List.copyOf(profiles);
    }

    /** {@code udp:HOST/PORT}, as SNMP4J and net-snmp spell a transport address. */
    public String address() {
        return "udp:" + host + "/" + port;
    }

    @Override
    public String toString() {
        return "DeviceSettings[" + name + " " + address() + " v" + version.label()
                + (v3 == null ? "" : " " + v3) + " every " + pollInterval.toSeconds() + " s, profiles " + profiles + "]";
    }

    /**
     * Reads a configuration's properties (strings from a .cfg file, or typed values).
     *
     * @throws IllegalArgumentException naming the property and what is wrong with it
     */
    public static DeviceSettings parse(Map<String, ?> p) {
        String name = text(p, "name");
        if (name == null) {
            name = nameFromFile(text(p, FILEINSTALL_FILENAME));
        }
        if (name == null) {
            throw invalid("name", "is missing (set name=..., or name the file " + PID + "-NAME.cfg)");
        }
        if (!NAME.matcher(name).matches()) {
            throw invalid("name", "'" + name + "' must be 1-64 letters, digits, '.', '_' or '-'");
        }
        String host = text(p, "address");
        if (host == null) {
            throw invalid("address", "is missing: the device's host name or IP address");
        }
        int port = integer(p, "port", 161, 1, 65535);
        Version version = switch (String.valueOf(text(p, "version", "2c")).toLowerCase(Locale.ROOT)) {
            case "2c", "v2c", "2" -> Version.V2C;
            case "3", "v3" -> Version.V3;
            default -> throw invalid("version", "'" + text(p, "version") + "' is not supported: use 2c or 3");
        };
        String community = text(p, "community", "public");
        V3 v3 = version == Version.V3 ? v3(p) : null;
        Duration interval = Duration.ofSeconds(integer(p, "pollIntervalSeconds", 60, 1, 86_400));
        List<String> profiles = profiles(p);
        Duration timeout = Duration.ofMillis(integer(p, "timeoutMillis", 2000, 50, 60_000));
        int retries = integer(p, "retries", 1, 0, 10);
        int maxRepetitions = integer(p, "maxRepetitions", 10, 1, 100);
        int maxRows = integer(p, "maxRows", 2048, 1, 100_000);
        return new DeviceSettings(name, host, port, version, community, v3, interval, profiles, timeout, retries,
                maxRepetitions, maxRows);
    }

    private static V3 v3(Map<String, ?> p) {
        String user = text(p, "user");
        if (user == null) {
            throw invalid("user", "is missing: SNMPv3 needs the USM user name");
        }
        String authPassword = text(p, "authPassword");
        String privPassword = text(p, "privPassword");
        String authProtocol = null;
        String privProtocol = null;
        if (authPassword != null) {
            authProtocol = UsmProtocols.authName(text(p, "authProtocol", "SHA"));
            requireLength("authPassword", authPassword);
        }
        if (privPassword != null) {
            if (authPassword == null) {
                throw invalid("privPassword", "needs authPassword too: SNMPv3 has no privacy without authentication");
            }
            privProtocol = UsmProtocols.privName(text(p, "privProtocol", "AES"));
            requireLength("privPassword", privPassword);
        }
        String engineId = text(p, "engineId");
        if (engineId != null && !HEX.matcher(engineId).matches()) {
            throw invalid("engineId", "'" + engineId + "' must be 5 to 32 bytes in hex");
        }
        return new V3(user, authProtocol, authPassword, privProtocol, privPassword,
                engineId == null ? null : engineId.replaceFirst("^0x", "").toLowerCase(Locale.ROOT));
    }

    private static void requireLength(String property, String password) {
        if (password.length() < 8) {
            throw invalid(property, "must have at least 8 characters (RFC 3414)");
        }
    }

    private static List<String> profiles(Map<String, ?> p) {
        Object raw = p.get("profiles");
        List<String> names = new ArrayList<>();
        if (raw == null) {
            names.addAll(List.of("system", "interfaces"));
        } else if (raw instanceof String[] array) {
            Arrays.stream(array).forEach(s -> split(s, names));
        } else if (raw instanceof Collection<?> list) {
            list.forEach(s -> split(String.valueOf(s), names));
        } else {
            split(String.valueOf(raw), names);
        }
        if (names.isEmpty()) {
            throw invalid("profiles", "is empty: name at least one of " + ProfileCatalog.NAMES);
        }
        for (String n : names) {
            if (!ProfileCatalog.NAMES.contains(n)) {
                throw invalid("profiles", "'" + n + "' is not a profile: use " + ProfileCatalog.NAMES);
            }
        }
        return names.stream().distinct().toList();
    }

    private static void split(String s, List<String> into) {
        for (String part : s.split(",")) {
            String t = part.trim().toLowerCase(Locale.ROOT);
            if (!t.isEmpty()) {
                into.add(t);
            }
        }
    }

    static String nameFromFile(String fileName) {
        if (fileName == null) {
            return null;
        }
        String base = fileName.substring(fileName.lastIndexOf('/') + 1);
        String prefix = PID + "-";
        if (!base.startsWith(prefix) || !base.endsWith(".cfg")) {
            return null;
        }
        return base.substring(prefix.length(), base.length() - ".cfg".length());
    }

    private static String text(Map<String, ?> p, String key) {
        Object v = p.get(key);
        if (v == null) {
            return null;
        }
        String s = String.valueOf(v).trim();
        return s.isEmpty() ? null : s;
    }

    private static String text(Map<String, ?> p, String key, String otherwise) {
        String s = text(p, key);
        return s == null ? otherwise : s;
    }

    private static int integer(Map<String, ?> p, String key, int otherwise, int min, int max) {
        Object v = p.get(key);
        if (v == null || String.valueOf(v).isBlank()) {
            return otherwise;
        }
        long n;
        if (v instanceof Number number) {
            n = number.longValue();
        } else {
            try {
                n = Long.parseLong(String.valueOf(v).trim());
            } catch (NumberFormatException e) {
                throw invalid(key, "'" + v + "' is not a whole number");
            }
        }
        if (n < min || n > max) {
            throw invalid(key, n + " is out of range " + min + ".." + max);
        }
        return (int) n;
    }

    private static IllegalArgumentException invalid(String property, String problem) {
        return new IllegalArgumentException(PID + ": " + property + " " + problem);
    }
}
