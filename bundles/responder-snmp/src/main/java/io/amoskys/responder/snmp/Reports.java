package io.amoskys.responder.snmp;

import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.OID;

/** What an SNMP v3 report from a device means, in the words agent {@code snmp} uses (RFC 3414 §3.2). */
final class Reports {
    private Reports() {}

    /** The reason, naming the user (never a pass phrase). */
    static String reason(OID oid, String user) {
        if (oid.startsWith(SnmpConstants.usmStatsWrongDigests)) {
            return "authentication failure (wrong v3 authentication pass phrase or protocol for user '" + user + "')";
        }
        if (oid.startsWith(SnmpConstants.usmStatsUnknownUserNames)) {
            return "authentication failure (unknown v3 user '" + user + "')";
        }
        if (oid.startsWith(SnmpConstants.usmStatsDecryptionErrors)) {
            return "privacy failure (wrong v3 privacy pass phrase or protocol for user '" + user + "')";
        }
        if (oid.startsWith(SnmpConstants.usmStatsUnsupportedSecLevels)) {
            return "the device does not allow v3 user '" + user + "' at this security level (check securityLevel)";
        }
        if (oid.startsWith(SnmpConstants.usmStatsNotInTimeWindows)) {
            return "v3 time window not reached (engine boots/time out of step)";
        }
        if (oid.startsWith(SnmpConstants.usmStatsUnknownEngineIDs)) {
            return "v3 engine ID discovery failed";
        }
        if (oid.startsWith(SnmpConstants.snmpUnknownContexts) || oid.startsWith(SnmpConstants.snmpUnavailableContexts)) {
            return "the device does not know the v3 default context";
        }
        return "the device answered with report " + oid;
    }

    /** Reports that a later try may not see (engine resynchronisation); the others say the configuration is wrong. */
    static boolean transientReport(OID oid) {
        return oid.startsWith(SnmpConstants.usmStatsNotInTimeWindows) || oid.startsWith(SnmpConstants.usmStatsUnknownEngineIDs);
    }
}
