package io.amoskys.agent.snmp.trap;

import java.net.InetAddress;
import java.util.List;
import org.snmp4j.smi.VariableBinding;

/**
 * One accepted trap or inform.
 *
 * @param pdu {@code trap} or {@code inform}
 * @param version {@code 2c} or {@code 3}
 * @param user the v3 user it was authenticated as; null for v2c (the community is a secret, never reported)
 * @param trapOid snmpTrapOID.0, or null when the sender left it out
 * @param uptimeTicks sysUpTime.0 of the sender, or -1
 * @param varbinds the other variable bindings, at most the receiver's limit
 * @param droppedVarbinds how many more there were
 */
public record Notification(InetAddress source, int sourcePort, String pdu, String version, String user, String trapOid,
        long uptimeTicks, List<VariableBinding> varbinds, int droppedVarbinds, long receivedWallNanos) {
    public Notification {
        varbinds = List.copyOf(varbinds);
    }
}
