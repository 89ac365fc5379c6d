package io.amoskys.agent.snmp.poll;

import java.util.LinkedHashMap;
import java.util.Map;
import java.nio.charset.StandardCharsets;
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
 * Why SNMP4J dropped incoming messages, by the address they came from. SNMP4J drops an answer it
 * cannot decode or authenticate and only counts it; the request then times out. Remembering the
 * drop lets that timeout be reported as what it was ("malformed response", "wrong digest").
 *
 * <p>Unauthenticated reports are kept too: SNMP4J ignores a noAuthNoPriv report to an
 * authenticated request (RFC 3412 §7.2.11.b: anyone could have sent it), so the request times
 * out; but a device that rejects our digest says so only in such a report ("wrong digest"), and
 * it is the likely explanation of that timeout, as net-snmp's tools report it too.
 *
 * <p>SNMP4J counts on the transport's receiving thread while it handles one message, so the
 * address of the message being handled is kept per thread by {@link ObservingDispatcher}.
 * Bounded: the most recent {@value #MAX_ADDRESSES} addresses.
 */
final class DroppedMessages implements CounterListener, CommandResponder {
    private static final int MAX_ADDRESSES = 1024;

    /** One dropped message. */
    record Drop(ErrorReason reason, String message, long atNanos) {}

    private final ThreadLocal<Address> handling = new ThreadLocal<>();
    private final Map<Address, Drop> last = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Address, Drop> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    void handling(Address source) {
        handling.set(source);
    }

    void handled() {
        handling.remove();
    }

    /** The last message from {@code source} dropped since {@code sinceNanos}, or null. */
    synchronized Drop since(Address source, long sinceNanos) {
        Drop d = last.get(source);
        return d != null && d.atNanos() - sinceNanos >= 0 ? d : null;
    }

    @Override
    public void incrementCounter(CounterEvent event) {
        Address source = handling.get();
        if (source == null) {
            return;
        }
        Drop drop = classify(event.getOid());
        if (drop != null) {
            synchronized (this) {
                last.put(source, drop);
            }
        }
    }

    /** Sees every incoming PDU before SNMP4J's own handling; keeps unauthenticated reports. */
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
        String user = event.getSecurityName() == null ? "" : new String(event.getSecurityName(), StandardCharsets.UTF_8);
        PollFailure f = Reports.failure(pdu, user);
        synchronized (this) {
            last.put(event.getPeerAddress(), new Drop(f.reason(), f.getMessage(), System.nanoTime()));
        }
    }

    private static Drop classify(OID counter) {
        long now = System.nanoTime();
        if (is(counter, SnmpConstants.snmpInASNParseErrs)) {
            return new Drop(ErrorReason.MALFORMED, "malformed response: not valid BER/ASN.1 (snmpInASNParseErrs)", now);
        }
        if (is(counter, SnmpConstants.snmpInvalidMsgs)) {
            return new Drop(ErrorReason.MALFORMED, "malformed response: invalid SNMP message (snmpInvalidMsgs)", now);
        }
        if (is(counter, SnmpConstants.snmpInBadVersions)) {
            return new Drop(ErrorReason.MALFORMED, "malformed response: unknown SNMP version (snmpInBadVersions)", now);
        }
        if (is(counter, SnmpConstants.usmStatsWrongDigests)) {
            return new Drop(ErrorReason.AUTHENTICATION, "authentication failure (the device's answer fails our digest: wrong v3 password or protocol)", now);
        }
        if (is(counter, SnmpConstants.usmStatsDecryptionErrors)) {
            return new Drop(ErrorReason.PRIVACY, "privacy failure (the device's answer does not decrypt: wrong v3 privacy password or protocol)", now);
        }
        if (is(counter, SnmpConstants.usmStatsNotInTimeWindows)) {
            return new Drop(ErrorReason.ENGINE, "answer outside the v3 time window (engine boots/time out of step)", now);
        }
        return null;
    }

    private static boolean is(OID counter, OID constant) {
        return counter != null && (counter.equals(constant) || counter.startsWith(constant) || constant.startsWith(counter));
    }
}
