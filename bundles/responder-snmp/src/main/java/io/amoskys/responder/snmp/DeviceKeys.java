package io.amoskys.responder.snmp;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The per-device keys {@code device.NAME.KEY}: which SNMP version a device of {@code ports} is set
 * with and, for v3, its USM user, in the words of agent {@code snmp}'s device files ({@code user},
 * {@code authProtocol}, {@code authPassword}, {@code privProtocol}, {@code privPassword}).
 * Metatype cannot declare keys that contain a device name, hence this reader of the raw properties.
 *
 * <p>Pass phrases come from {@code device.NAME.authPasswordFile} or the private key
 * {@code .device.NAME.authPassword} (leading dot: DS does not publish it with the service); the same
 * key without the dot is refused, as it would be published.
 */
final class DeviceKeys {
    static final String PREFIX = "device.";
    private static final List<String> PUBLIC = List.of("version", "user", "securityLevel", "authProtocol", "authPasswordFile",
            "privProtocol", "privPasswordFile");
    private static final List<String> PRIVATE = List.of("authPassword", "privPassword");
    /** RFC 3414: usmUserName is an SnmpAdminString of 1 to 32 octets. */
    private static final int MAX_USER_BYTES = 32;
    private static final int MIN_PASS_PHRASE = 8;

    /** Per device, its keys without the device part ({@code user}; private ones keep the dot: {@code .authPassword}). */
    private final Map<String, Map<String, String>> byDevice = new LinkedHashMap<>();

    DeviceKeys(Map<String, ?> properties, Set<String> devices, List<String> problems) {
        Set<String> strangers = new LinkedHashSet<>();
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            String key = e.getKey();
            boolean dotted = key.startsWith(".");
            String rest = dotted ? key.substring(1) : key;
            int last = rest.lastIndexOf('.');
            if (!rest.startsWith(PREFIX) || last <= PREFIX.length()) {
                continue; // not a device key
            }
            String device = rest.substring(PREFIX.length(), last);
            String name = rest.substring(last + 1);
            String where = "device '" + device + "': ";
            if (!devices.contains(device)) {
                strangers.add(device);
            } else if (!(e.getValue() instanceof String) && !(e.getValue() instanceof Number)) {
                problems.add(where + key + " is not one value");
            } else if (name.equals("engineId")) {
                problems.add(where + key + " is not needed here: each request has a USM of its own that discovers the"
                        + " device's engine ID, so devices sharing a user name never share keys (remove it)");
            } else if (PRIVATE.contains(name) && !dotted) {
                problems.add(where + key + " would be published with the responder's service properties: name it ." + key
                        + ", or put the pass phrase in a file named by " + key + "File");
            } else if (PUBLIC.contains(name) && dotted) {
                problems.add(where + key + ": write it without the leading dot (only pass phrases are private)");
            } else if (PUBLIC.contains(name) || PRIVATE.contains(name)) {
                byDevice.computeIfAbsent(device, d -> new LinkedHashMap<>()).put(dotted ? "." + name : name,
                        String.valueOf(e.getValue()).strip());
            } else {
                problems.add(where + "unknown key " + key + " (known: " + String.join(", ", PUBLIC)
                        + ", .device." + device + ".authPassword, .device." + device + ".privPassword)");
            }
        }
        strangers.forEach(d -> problems.add("device." + d + ".* keys name device '" + d + "', which ports does not list"));
    }

    /**
     * The SNMP version {@code device} is set with, {@code 2c} (the default) or {@code 3}; null, with
     * a problem noted, when it is not one of those, or when v3 keys are set for a v2c device (an
     * operator who forgot {@code version = 3} would otherwise send the community instead).
     */
    String version(String device, List<String> problems) {
        Map<String, String> keys = byDevice.getOrDefault(device, Map.of());
        String key = PREFIX + device + ".";
        String where = "device '" + device + "': ";
        switch (keys.getOrDefault("version", "2c").toLowerCase(Locale.ROOT)) {
            case "2c", "v2c", "2" -> {
                List<String> v3Keys = keys.keySet().stream().filter(k -> !k.equals("version"))
                        .map(k -> k.startsWith(".") ? "." + key + k.substring(1) : key + k).toList();
                if (v3Keys.isEmpty()) {
                    return "2c";
                }
                problems.add(where + String.join(", ", v3Keys) + " set, but " + key + "version is 2c"
                        + (keys.containsKey("version") ? "" : " (the default)") + ": set " + key + "version = 3, or remove them");
                return null;
            }
            case "3", "v3" -> {
                return "3";
            }
            default -> {
                problems.add(where + key + "version '" + keys.get("version") + "' is not supported: use 2c or 3");
                return null;
            }
        }
    }

    /** The v3 USM user of {@code device}; null, with problems noted naming the device and the key, when unusable. */
    Security.Usm usm(String device, List<String> problems) {
        return new V3Reader(byDevice.getOrDefault(device, Map.of()), "device '" + device + "': ", PREFIX + device + ".", problems).read();
    }

    /** One device's v3 keys, checked: each problem names the device and the key. */
    private record V3Reader(Map<String, String> keys, String where, String key, List<String> problems) {
        /** The keys hold pass phrases: never printed. */
        @Override
        public String toString() {
            return "V3Reader[" + where + "]";
        }

        Security.Usm read() {
            int before = problems.size();
            String user = keys.getOrDefault("user", "");
            if (user.isEmpty()) {
                problems.add(where + key + "user is missing: SNMP v3 needs the USM user name");
            } else if (user.getBytes(StandardCharsets.UTF_8).length > MAX_USER_BYTES) {
                problems.add(where + key + "user is longer than " + MAX_USER_BYTES + " bytes (RFC 3414)");
            }
            boolean priv = privacy();
            String authConfigured = keys.getOrDefault("authProtocol", "SHA");
            String auth = UsmProtocols.authName(authConfigured);
            if (auth == null) {
                problems.add(where + key + "authProtocol " + UsmProtocols.authProblem(authConfigured));
            }
            String authPass = passPhrase("auth", "authentication");
            String privName = null;
            String privPass = null;
            if (priv) {
                String privConfigured = keys.getOrDefault("privProtocol", "AES");
                privName = UsmProtocols.privName(privConfigured);
                if (privName == null) {
                    problems.add(where + key + "privProtocol " + UsmProtocols.privProblem(privConfigured));
                }
                privPass = passPhrase("priv", "privacy");
            } else if (keys.containsKey("privProtocol") || keys.containsKey("privPasswordFile") || keys.containsKey(".privPassword")) {
                problems.add(where + "privacy keys are set, but " + key + "securityLevel is authNoPriv: remove them,"
                        + " or use authPriv");
            }
            return problems.size() == before ? new Security.Usm(user, auth, authPass, privName, privPass) : null;
        }

        /** Whether the level asks for privacy: authPriv unless the operator asks for authNoPriv. */
        private boolean privacy() {
            String level = keys.getOrDefault("securityLevel", "authPriv");
            switch (level.toLowerCase(Locale.ROOT)) {
                case "authpriv" -> {
                    return true;
                }
                case "authnopriv" -> {
                    return false;
                }
                case "noauthnopriv" -> problems.add(where + key + "securityLevel noAuthNoPriv is refused: anyone could send"
                        + " such a SET; use authPriv (or authNoPriv)");
                default -> problems.add(where + key + "securityLevel '" + level + "' is not supported: use authPriv or authNoPriv");
            }
            return true;
        }

        private String passPhrase(String kind, String words) {
            Secret secret = new Secret(key + kind + "PasswordFile", "." + key + kind + "Password", "pass phrase");
            String file = keys.get(kind + "PasswordFile");
            String inline = keys.get("." + kind + "Password");
            if (!Secret.given(file, inline)) {
                problems.add(where + "no " + words + " pass phrase: set " + secret.fileKey() + " (or " + secret.inlineKey() + ")"
                        + (kind.equals("priv") ? ", as securityLevel authPriv needs one" : ""));
                return null;
            }
            String value = secret.read(where, file, inline, problems);
            if (value != null && value.length() < MIN_PASS_PHRASE) {
                problems.add(where + "the pass phrase of " + secret.source(file) + " is shorter than " + MIN_PASS_PHRASE
                        + " characters (RFC 3414)");
                return null;
            }
            return value;
        }
    }
}
