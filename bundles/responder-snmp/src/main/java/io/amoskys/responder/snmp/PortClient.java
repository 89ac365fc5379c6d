package io.amoskys.responder.snmp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.snmp4j.PDU;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * GET and SET of one port's ifAdminStatus over SNMP v2c or v3, as the device's {@link Security}
 * says, with SNMP4J: a {@link PortSession} of its own per call (actions are rare).
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

    private final long timeoutMillis;
    private final int retries;

    PortClient(long timeoutMillis, int retries) {
        this.timeoutMillis = timeoutMillis;
        this.retries = retries;
    }

    static OID oid(int ifIndex) {
        OID oid = new OID(IF_ADMIN_STATUS);
        oid.append(ifIndex);
        return oid;
    }

    Result get(PortSettings.Device device, int ifIndex) {
        return request(device, ifIndex, PDU.GET, new VariableBinding(oid(ifIndex)));
    }

    Result set(PortSettings.Device device, int ifIndex, int status) {
        return request(device, ifIndex, PDU.SET, new VariableBinding(oid(ifIndex), new Integer32(status)));
    }

    private Result request(PortSettings.Device device, int ifIndex, int type, VariableBinding binding) {
        String what = (type == PDU.SET ? "SET " : "GET ") + oid(ifIndex) + " on " + device.name() + " (" + device.address() + ")";
        UdpAddress address;
        try {
            address = new UdpAddress(InetAddress.getByName(device.host()), device.port());
        } catch (UnknownHostException e) {
            return Result.retry(what + ": cannot resolve " + device.host() + " (for now)");
        }
        try (PortSession session = PortSession.open(device.security(), address, timeoutMillis, retries)) {
            PDU pdu = session.pdu(type);
            pdu.add(binding);
            ResponseEvent<UdpAddress> event = session.send(pdu);
            if (event != null && event.getError() != null) {
                return Result.retry(what + ": request failed: " + event.getError().getMessage());
            }
            PDU response = event == null ? null : event.getResponse();
            if (response == null) {
                return noAnswer(what, session);
            }
            if (response.getType() == PDU.REPORT) {
                return report(what, response.size() > 0 ? response.get(0).getOid() : new OID(), session.user());
            }
            return answer(what, response, session.user() == null ? "community" : "v3 user");
        } catch (IOException | RuntimeException e) {
            return Result.retry(what + ": " + e);
        }
    }

    private Result noAnswer(String what, PortSession session) {
        String timeout = "timeout, no answer after " + (retries + 1) + " tries of " + timeoutMillis + " ms";
        OID rejection = session.rejection();
        if (rejection != null) {
            // The device answered, with keys other than ours: a retry would only repeat it.
            return Result.failed(what + ": " + Reports.reason(rejection, session.user()) + "; " + timeout);
        }
        return Result.retry(what + ": " + timeout + (session.user() == null
                ? " (agent down or unreachable, or a community it does not know: v2c agents ignore those)"
                : " (agent down or unreachable, or v3 credentials it leaves unanswered: an unknown user, a wrong privacy"
                        + " pass phrase or protocol)"));
    }

    private static Result report(String what, OID oid, String user) {
        String text = what + ": " + Reports.reason(oid, user);
        return Reports.transientReport(oid) ? Result.retry(text) : Result.failed(text);
    }

    private static Result answer(String what, PDU response, String who) {
        int status = response.getErrorStatus();
        if (status != PDU.noError) {
            return errorStatus(what, status, who);
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

    private static Result errorStatus(String what, int status, String who) {
        String text = what + ": the agent answered " + statusName(status) + " (" + status + ")";
        if (status == PDU.noAccess || status == PDU.notWritable || status == PDU.authorizationError || status == PDU.readOnly) {
            text += ": the " + who + " may not write this port";
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
