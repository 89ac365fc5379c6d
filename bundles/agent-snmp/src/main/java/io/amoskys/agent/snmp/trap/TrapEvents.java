package io.amoskys.agent.snmp.trap;

import io.amoskys.agent.snmp.event.EventFactory;
import io.amoskys.api.event.TelemetryEvent;
import org.snmp4j.smi.VariableBinding;

/**
 * A notification as an event: kind {@code snmp}, label {@code type=trap}, entity the device it
 * came from (or {@code trap/IP} for a sender that is not a configured device), each variable
 * binding as a label {@code vb.OID}.
 */
public final class TrapEvents {
    private TrapEvents() {}

    public static TelemetryEvent event(EventFactory events, Notification n, String deviceName) {
        String ip = n.source().getHostAddress();
        TelemetryEvent.Builder b = events.start(deviceName != null ? deviceName : "trap/" + ip, n.receivedWallNanos())
                .label("type", "trap")
                .label("pdu", n.pdu())
                .label("version", n.version())
                .label("device", deviceName != null ? deviceName : ip)
                .label("address", "udp:" + ip + "/" + n.sourcePort())
                .metric("varbinds", n.varbinds().size() + n.droppedVarbinds());
        if (n.user() != null) {
            b.label("user", n.user());
        }
        if (n.trapOid() != null) {
            b.label("trap_oid", n.trapOid());
        }
        if (n.uptimeTicks() >= 0) {
            b.metric("sys_uptime_s", n.uptimeTicks() / 100.0);
        }
        if (n.droppedVarbinds() > 0) {
            b.metric("varbinds_dropped", n.droppedVarbinds());
        }
        for (VariableBinding vb : n.varbinds()) {
            String value = vb.getVariable().toString();
            b.label("vb." + vb.getOid(), value.length() <= 512 ? value : value.substring(0, 509) + "...");
        }
        return b.build();
    }
}
