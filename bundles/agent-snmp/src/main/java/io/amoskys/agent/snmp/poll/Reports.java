package io.amoskys.agent.snmp.poll;

import org.snmp4j.PDU;
import org.snmp4j.Target;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.OID;

/** What an SNMPv3 report from a device means, in the words an operator needs (RFC 3414 §3.2). */
final class Reports {
    private Reports() {}

    static PollFailure failure(PDU report, Target<?> target) {
        // A v2c target's security name is its community: a secret, never put into an error text.
        boolean v3 = target instanceof org.snmp4j.UserTarget;
        return failure(report, !v3 || target.getSecurityName() == null ? "" : target.getSecurityName().toString());
    }

    static PollFailure failure(PDU report, String user) {
        OID oid = report.size() > 0 ? report.get(0).getOid() : new OID();
        if (oid.startsWith(SnmpConstants.usmStatsWrongDigests)) {
            return new PollFailure(ErrorReason.AUTHENTICATION, "authentication failure (wrong v3 user or password)");
        }
        if (oid.startsWith(SnmpConstants.usmStatsUnknownUserNames)) {
            return new PollFailure(ErrorReason.UNKNOWN_USER, "authentication failure (unknown v3 user '" + user + "')");
        }
        if (oid.startsWith(SnmpConstants.usmStatsDecryptionErrors)) {
            return new PollFailure(ErrorReason.PRIVACY, "privacy failure (wrong v3 privacy password or protocol)");
        }
        if (oid.startsWith(SnmpConstants.usmStatsUnsupportedSecLevels)) {
            return new PollFailure(ErrorReason.SECURITY_LEVEL, "the device does not allow v3 user '" + user
                    + "' at this security level (check authPassword/privPassword against the device)");
        }
        if (oid.startsWith(SnmpConstants.usmStatsNotInTimeWindows)) {
            return new PollFailure(ErrorReason.ENGINE, "v3 time window not reached (engine boots/time out of step)");
        }
        if (oid.startsWith(SnmpConstants.usmStatsUnknownEngineIDs)) {
            return new PollFailure(ErrorReason.ENGINE, "v3 engine ID discovery failed (check engineId)");
        }
        if (oid.startsWith(SnmpConstants.snmpUnknownContexts) || oid.startsWith(SnmpConstants.snmpUnavailableContexts)) {
            return new PollFailure(ErrorReason.ERROR_STATUS, "the device does not know the v3 context");
        }
        return new PollFailure(ErrorReason.ERROR_STATUS, "the device answered with report " + oid);
    }
}
