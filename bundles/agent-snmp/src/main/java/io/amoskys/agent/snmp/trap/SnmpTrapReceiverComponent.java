package io.amoskys.agent.snmp.trap;

import io.amoskys.agent.snmp.DeviceSettings;
import io.amoskys.agent.snmp.SnmpAgent;
import io.amoskys.api.admin.MetricsSource;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The SNMP trap/inform receiver of agent {@code snmp} (configuration {@code io.amoskys.agent.snmp.traps}):
 * on loopback port 1162 unless configured otherwise (1162, not 162: no root needed; devices on the
 * network need {@code address=0.0.0.0}). Its notifications become the agent's events with label
 * {@code type=trap}.
 */
@Component(service = MetricsSource.class, configurationPid = SnmpTrapReceiverComponent.PID)
@Designate(ocd = SnmpTrapReceiverComponent.Config.class)
public class SnmpTrapReceiverComponent implements MetricsSource {
    static final String PID = "io.amoskys.agent.snmp.traps";

    @ObjectClassDefinition(name = "AMOSKYS SNMP trap receiver")
    public @interface Config {
        @AttributeDefinition(description = "Address to listen on (127.0.0.1: this host only; 0.0.0.0: every interface)")
        String address() default "127.0.0.1";

        int port() default 1162;

        @AttributeDefinition(type = AttributeType.PASSWORD, description = "v2c communities accepted, comma-separated")
        String communities() default "public";

        @AttributeDefinition(description = "v3 user notifications must authenticate as; empty: v3 notifications are rejected")
        String v3User() default "";

        String v3AuthProtocol() default "SHA";

        @AttributeDefinition(type = AttributeType.PASSWORD)
        String v3AuthPassword() default "";

        String v3PrivProtocol() default "AES";

        @AttributeDefinition(type = AttributeType.PASSWORD)
        String v3PrivPassword() default "";

        @AttributeDefinition(description = "Variable bindings reported per notification at most")
        int maxVarbinds() default 32;
    }

    private final TrapCounters counters = new TrapCounters();
    private final TrapReceiver receiver;

    @Activate
    public SnmpTrapReceiverComponent(@Reference SnmpAgent agent, Config config) throws IOException {
        this.receiver = new TrapReceiver(settings(config), agent::notification, counters);
    }

    static TrapSettings settings(Config c) {
        Set<String> communities = Arrays.stream(c.communities().split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
        DeviceSettings.V3 v3 = null;
        if (!c.v3User().isBlank()) {
            // The device settings check v3 credentials the same way for traps as for polls.
            Map<String, Object> p = new HashMap<>();
            p.put("name", "traps");
            p.put("address", c.address());
            p.put("version", "3");
            p.put("user", c.v3User());
            p.put("authProtocol", c.v3AuthProtocol());
            p.put("authPassword", c.v3AuthPassword());
            p.put("privProtocol", c.v3PrivProtocol());
            p.put("privPassword", c.v3PrivPassword());
            v3 = DeviceSettings.parse(p).v3();
        }
        if (c.port() < 0 || c.port() > 65535) {
            throw new IllegalArgumentException(PID + ": port " + c.port() + " is out of range 0..65535");
        }
        return new TrapSettings(c.address(), c.port(), communities, v3, Math.max(0, c.maxVarbinds()));
    }

    public int port() {
        return receiver.port();
    }

    public TrapCounters counters() {
        return counters;
    }

    @Override
    public void writePrometheus(StringBuilder out) {
        counters.writePrometheus(out);
    }

    @Deactivate
    void deactivate() throws IOException {
        receiver.close();
    }
}
