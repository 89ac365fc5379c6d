package io.amoskys.responder.snmp;

import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.snmp4j.security.AuthHMAC128SHA224;
import org.snmp4j.security.AuthHMAC192SHA256;
import org.snmp4j.security.AuthHMAC256SHA384;
import org.snmp4j.security.AuthHMAC384SHA512;
import org.snmp4j.security.AuthSHA;
import org.snmp4j.security.AuthenticationProtocol;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.security.PrivAES192;
import org.snmp4j.security.PrivAES256;
import org.snmp4j.security.PrivacyProtocol;
import org.snmp4j.security.SecurityProtocols;

/**
 * The USM protocols this responder uses, by the names agent {@code snmp} uses ({@code SHA-256},
 * {@code AES}, ...; as net-snmp spells them), so one device is described in one vocabulary.
 *
 * <p>Agent {@code snmp} also takes MD5, DES and 3DES to read old devices. This responder changes
 * devices: those are refused here, by name and with the reason, rather than "unknown".
 */
final class UsmProtocols {
    private static final Map<String, Supplier<AuthenticationProtocol>> AUTH = Map.of(
            "SHA", AuthSHA::new,
            "SHA-224", AuthHMAC128SHA224::new,
            "SHA-256", AuthHMAC192SHA256::new,
            "SHA-384", AuthHMAC256SHA384::new,
            "SHA-512", AuthHMAC384SHA512::new);
    private static final Map<String, Supplier<PrivacyProtocol>> PRIV = Map.of(
            "AES", PrivAES128::new,
            "AES-192", PrivAES192::new,
            "AES-256", PrivAES256::new);
    static final String AUTH_NAMES = "SHA, SHA-224, SHA-256, SHA-384 or SHA-512";
    static final String PRIV_NAMES = "AES (128), AES-192 or AES-256";

    private UsmProtocols() {}

    /** The canonical authentication protocol name, or null when {@link #authProblem} has a reason. */
    static String authName(String configured) {
        String n = canonical(configured);
        if (n.equals("SHA-1") || n.equals("SHA1")) {
            n = "SHA";
        }
        return AUTH.containsKey(n) ? n : null;
    }

    static String authProblem(String configured) {
        if (canonical(configured).equals("MD5")) {
            return "'" + configured + "' is refused: MD5 is not used to change devices (agent snmp still reads with it); use "
                    + AUTH_NAMES;
        }
        return "'" + configured + "' is not supported: use " + AUTH_NAMES;
    }

    /** The canonical privacy protocol name, or null when {@link #privProblem} has a reason. */
    static String privName(String configured) {
        String n = canonical(configured);
        if (n.equals("AES-128")) {
            n = "AES";
        }
        return PRIV.containsKey(n) ? n : null;
    }

    static String privProblem(String configured) {
        String n = canonical(configured);
        if (n.equals("DES") || n.equals("3DES")) {
            return "'" + configured + "' is refused: " + n + " is not used to change devices (agent snmp still reads with it); use "
                    + PRIV_NAMES;
        }
        return "'" + configured + "' is not supported: use " + PRIV_NAMES;
    }

    static AuthenticationProtocol auth(String canonicalName) {
        return AUTH.get(canonicalName).get();
    }

    static PrivacyProtocol priv(String canonicalName) {
        return PRIV.get(canonicalName).get();
    }

    /**
     * A protocol table holding just these protocols, for one session: SNMP4J's
     * {@code SecurityProtocols.getInstance()} is one JVM-wide table every bundle would share.
     */
    static SecurityProtocols table(Security.Usm usm) {
        SecurityProtocols table = new SecurityProtocols(SecurityProtocols.SecurityProtocolSet.none);
        table.addAuthenticationProtocol(auth(usm.authProtocol()));
        if (usm.encrypts()) {
            table.addPrivacyProtocol(priv(usm.privProtocol()));
        }
        return table;
    }

    /** {@code sha256}, {@code SHA256}, {@code sha_256} → {@code SHA-256}; {@code aes256} → {@code AES-256}. */
    private static String canonical(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT).replace('_', '-');
        if (n.matches("(SHA|AES)\\d+")) {
            n = n.substring(0, 3) + "-" + n.substring(3);
        }
        return n;
    }
}
