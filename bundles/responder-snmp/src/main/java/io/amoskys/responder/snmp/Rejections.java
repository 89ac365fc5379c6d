package io.amoskys.responder.snmp;

import org.snmp4j.CommandResponder;
import org.snmp4j.CommandResponderEvent;
import org.snmp4j.PDU;
import org.snmp4j.event.CounterEvent;
import org.snmp4j.event.CounterListener;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.OID;

/**
 * Why a v3 request timed out although the device answered: SNMP4J drops such answers and the
 * request waits on. One session talks to one device, so whatever this sees is that device's.
 * <ul>
 *   <li>An answer that fails our digest or does not decrypt (SNMP4J only counts it): the device
 *       holds other pass phrases or protocols. Agents that authenticate their reports with their
 *       own keys (snmpsim) say "wrong digest" this way.
 *   <li>An unauthenticated report (net-snmp's agents): SNMP4J ignores a noAuthNoPriv report to an
 *       authenticated request (RFC 3412 §7.2.11.b: anyone could have sent it), yet it is the
 *       likely explanation of the timeout, as net-snmp's tools and agent {@code snmp} report it.
 * </ul>
 * It only explains a timeout, never ends a wait early: a forged message cannot hide an answer.
 */
final class Rejections implements CommandResponder, CounterListener {
    private volatile OID last;

    @Override
    public void incrementCounter(CounterEvent event) {
        OID counter = event.getOid();
        if (counter != null && (counter.startsWith(SnmpConstants.usmStatsWrongDigests)
                || counter.startsWith(SnmpConstants.usmStatsDecryptionErrors))) {
            last = counter;
        }
    }

    @Override
    public <A extends Address> void processPdu(CommandResponderEvent<A> event) {
        PDU pdu = event.getPDU();
        if (pdu == null || pdu.getType() != PDU.REPORT || event.getSecurityLevel() != SecurityLevel.NOAUTH_NOPRIV) {
            return;
        }
        OID oid = pdu.size() > 0 ? pdu.get(0).getOid() : new OID();
        if (oid.startsWith(SnmpConstants.usmStatsUnknownEngineIDs) || oid.startsWith(SnmpConstants.usmStatsNotInTimeWindows)) {
            return; // engine discovery and time synchronisation: SNMP4J handles these itself
        }
        last = oid;
    }

    /** The USM statistic the device's answer, or our check of it, counted last; null when none. */
    OID last() {
        return last;
    }
}
