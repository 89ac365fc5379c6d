package io.amoskys.responder.snmp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.snmp4j.CommunityTarget;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.Snmp;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * GET and SET of one port's ifAdminStatus over SNMP v2c, with SNMP4J: a session of its own per
 * call (actions are rare), without SNMP4J's JVM-wide security models.
 */
final class PortClient {
    /** ifAdminStatus (IF-MIB, RFC 2863): 1 up, 2 down, 3 testing. */
    static final OID IF_ADMIN_STATUS = new OID("1.3.6.1.2.1.2.2.1.7");
    static final int UP = 1;
    static final int DOWN = 2;

    /** How a request ended: a value, or why not and whether trying later may help. */
    record Result(Integer value, String error, boolean retry) {
        static Result value(int v) {
            return new Result(v, null, false);
        }

        static Result failed(String error) {
            return new Result(null, error, false);
        }

        static Result retry(String error) {
            return new Result(null, error, true);
        }

        boolean ok() {
            return error == null;
        }
    }

    private final String community;
    private final long timeoutMillis;
    private final int retries;

    PortClient(String community, long timeoutMillis, int retries) {
        this.community = community;
        this.timeoutMillis = timeoutMillis;
        this.retries = retries;
    }

    static OID oid(int ifIndex) {
        OID oid = new OID(IF_ADMIN_STATUS);
        oid.append(ifIndex);
        return oid;
    }

    Result get(PortSettings.Device device, int ifIndex) {
        PDU pdu = new PDU();
        pdu.setType(PDU.GET);
        pdu.add(new VariableBinding(oid(ifIndex)));
        return request(device, ifIndex, pdu, "GET");
    }

    Result set(PortSettings.Device device, int ifIndex, int status) {
        PDU pdu = new PDU();
        pdu.setType(PDU.SET);
        pdu.add(new VariableBinding(oid(ifIndex), new Integer32(status)));
        return request(device, ifIndex, pdu, "SET");
    }

    private Result request(PortSettings.Device device, int ifIndex, PDU pdu, String op) {
        String what = op + " " + oid(ifIndex) + " on " + device.name() + " (" + device.address() + ")";
        UdpAddress address;
        try {
            address = new UdpAddress(InetAddress.getByName(device.host()), device.port());
        } catch (UnknownHostException e) {
            return Result.retry(what + ": cannot resolve " + device.host() + " (for now)");
        }
        CommunityTarget<UdpAddress> target = new CommunityTarget<>(address, new OctetString(community));
        target.setVersion(SnmpConstants.version2c);
        target.setTimeout(timeoutMillis);
        target.setRetries(retries);
        MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
        dispatcher.addMessageProcessingModel(new MPv2c());
        Snmp snmp = null;
        try {
            snmp = new Snmp(dispatcher, new DefaultUdpTransportMapping());
            snmp.listen();
            ResponseEvent<UdpAddress> event = snmp.send(pdu, target);
            PDU response = event == null ? null : event.getResponse();
            if (event != null && event.getError() != null) {
                return Result.retry(what + ": request failed: " + event.getError().getMessage());
            }
            if (response == null) {
                return Result.retry(what + ": timeout, no answer after " + (retries + 1) + " tries of " + timeoutMillis
                        + " ms (agent down or unreachable, or a community it does not know: v2c agents ignore those)");
            }
            int status = response.getErrorStatus();
            if (status != PDU.noError) {
                return errorStatus(what, status);
            }
            if (response.size() != 1) {
                return Result.failed(what + ": malformed answer with " + response.size() + " variables");
            }
            Variable v = response.get(0).getVariable();
            if (v.isException()) {
                return Result.failed(what + ": the device has no such port (" + v + ")");
            }
            if (!(v instanceof Integer32 i)) {
                return Result.failed(what + ": ifAdminStatus is no integer (" + v.getSyntaxString() + " " + v + ")");
            }
            return Result.value(i.getValue());
        } catch (IOException | RuntimeException e) {
            return Result.retry(what + ": " + e);
        } finally {
            if (snmp != null) {
                try {
                    snmp.close();
                } catch (IOException e) {
                    // closing a UDP socket: nothing to do
                }
            }
        }
    }

    /** SNMP error statuses (RFC 3416) by number, named as in the RFC. */
    private static final String[] STATUS_NAMES = {"noError", "tooBig", "noSuchName", "badValue", "readOnly", "genErr",
        "noAccess", "wrongType", "wrongLength", "wrongEncoding", "wrongValue", "noCreation", "inconsistentValue",
        "resourceUnavailable", "commitFailed", "undoFailed", "authorizationError", "notWritable", "inconsistentName"};

    static String statusName(int status) {
        return status >= 0 && status < STATUS_NAMES.length ? STATUS_NAMES[status] : "error status " + status;
    }

    /** Statuses a later try may not see again (a busy or failing agent); all others are the agent's final word. */
    private static boolean transientStatus(int status) {
        return status == PDU.tooBig || status == PDU.genErr || status == PDU.resourceUnavailable || status == PDU.commitFailed;
    }

    private static Result errorStatus(String what, int status) {
        String text = what + ": the agent answered " + statusName(status) + " (" + status + ")";
        if (status == PDU.noAccess || status == PDU.notWritable || status == PDU.authorizationError || status == PDU.readOnly) {
            text += ": the community may not write this port";
        }
        return transientStatus(status) ? Result.retry(text) : Result.failed(text);
    }

    static String statusText(int ifAdminStatus) {
        return switch (ifAdminStatus) {
            case UP -> "up(1)";
            case DOWN -> "down(2)";
            case 3 -> "testing(3)";
            default -> ifAdminStatus + "";
        };
    }
}
