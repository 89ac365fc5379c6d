package io.amoskys.agent.snmp.poll;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.snmp4j.security.AuthHMAC128SHA224;
import org.snmp4j.security.AuthHMAC192SHA256;
import org.snmp4j.security.AuthHMAC256SHA384;
import org.snmp4j.security.AuthHMAC384SHA512;
import org.snmp4j.security.AuthMD5;
import org.snmp4j.security.AuthSHA;
import org.snmp4j.security.AuthenticationProtocol;
import org.snmp4j.security.Priv3DES;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.security.PrivAES192;
import org.snmp4j.security.PrivAES256;
import org.snmp4j.security.PrivDES;
import org.snmp4j.security.PrivacyProtocol;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.smi.OID;

/**
 * The USM protocols by the names net-snmp uses ({@code SHA-256}, {@code AES}, ...), and a protocol
 * table of our own: SNMP4J's {@code SecurityProtocols.getInstance()} is one JVM-wide table that
 * every bundle would share.
 */
public final class UsmProtocols {
    private static final Map<String, Supplier<AuthenticationProtocol>> AUTH = new LinkedHashMap<>();
    private static final Map<String, Supplier<PrivacyProtocol>> PRIV = new LinkedHashMap<>();

    static {
        AUTH.put("MD5", AuthMD5::new);
        AUTH.put("SHA", AuthSHA::new);
        AUTH.put("SHA-224", AuthHMAC128SHA224::new);
        AUTH.put("SHA-256", AuthHMAC192SHA256::new);
        AUTH.put("SHA-384", AuthHMAC256SHA384::new);
        AUTH.put("SHA-512", AuthHMAC384SHA512::new);
        PRIV.put("DES", PrivDES::new);
        PRIV.put("3DES", Priv3DES::new);
        PRIV.put("AES", PrivAES128::new);
        PRIV.put("AES-192", PrivAES192::new);
        PRIV.put("AES-256", PrivAES256::new);
    }

    private final SecurityProtocols protocols = new SecurityProtocols(SecurityProtocols.SecurityProtocolSet.none);

    public UsmProtocols() {
        AUTH.values().forEach(p -> protocols.addAuthenticationProtocol(p.get()));
        PRIV.values().forEach(p -> protocols.addPrivacyProtocol(p.get()));
    }

    public SecurityProtocols table() {
        return protocols;
    }

    /** The canonical name of an authentication protocol ({@code sha256} → {@code SHA-256}). */
    public static String authName(String name) {
        String n = canonical(name);
        if (n.equals("SHA-1") || n.equals("SHA1")) {
            n = "SHA";
        }
        if (!AUTH.containsKey(n)) {
            throw new IllegalArgumentException("io.amoskys.agent.snmp: authProtocol '" + name + "' is not supported: use one of " + AUTH.keySet());
        }
        return n;
    }

    /** The canonical name of a privacy protocol ({@code aes128} → {@code AES}). */
    public static String privName(String name) {
        String n = canonical(name);
        if (n.equals("AES-128")) {
            n = "AES";
        }
        if (!PRIV.containsKey(n)) {
            throw new IllegalArgumentException("io.amoskys.agent.snmp: privProtocol '" + name + "' is not supported: use one of " + PRIV.keySet());
        }
        return n;
    }

    public static OID authOid(String canonicalName) {
        return AUTH.get(canonicalName).get().getID();
    }

    public static OID privOid(String canonicalName) {
        return PRIV.get(canonicalName).get().getID();
    }

    /** {@code sha256}, {@code SHA256}, {@code sha-256} → {@code SHA-256}; {@code aes256} → {@code AES-256}. */
    private static String canonical(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT).replace('_', '-');
        if (n.matches("(SHA|AES)\\d+")) {
            n = n.substring(0, 3) + "-" + n.substring(3);
        }
        return n;
    }
}
