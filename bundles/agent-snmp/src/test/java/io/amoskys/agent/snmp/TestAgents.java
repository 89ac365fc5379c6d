package io.amoskys.agent.snmp;

import io.amoskys.agent.snmp.trap.SnmpTrapReceiverComponentAccess;
import java.lang.annotation.Annotation;
import java.util.HashMap;
import java.util.Map;

/** Builds agents and device configurations the way Declarative Services would. */
final class TestAgents {
    private TestAgents() {}

    static SnmpAgent agent() throws Exception {
        return new SnmpAgent(config());
    }

    static SnmpAgent.Config config() {
        return new SnmpAgent.Config() {
            @Override
            public int eventQueueCapacity() {
                return 100_000;
            }

            @Override
            public int workQueueCapacity() {
                return 1024;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return SnmpAgent.Config.class;
            }
        };
    }

    /** A v2c device's configuration properties, as a .cfg file would give them (strings). */
    static Map<String, Object> v2c(String name, int port, String community, String profiles) {
        Map<String, Object> p = new HashMap<>();
        p.put("service.pid", DeviceSettings.PID + "~" + name);
        p.put("name", name);
        p.put("address", "127.0.0.1");
        p.put("port", String.valueOf(port));
        p.put("version", "2c");
        p.put("community", community);
        p.put("profiles", profiles);
        p.put("pollIntervalSeconds", "3600");
        p.put("timeoutMillis", "1500");
        p.put("retries", "1");
        return p;
    }

    static void configure(SnmpAgent agent, Map<String, Object> properties) {
        agent.configure(properties.get("service.pid").toString(), DeviceSettings.parse(properties));
    }

    static void close(SnmpAgent agent) throws Exception {
        if (agent != null) {
            agent.deactivate();
        }
    }

    static SnmpTrapReceiverComponentAccess.Receiver traps(SnmpAgent agent, Map<String, String> config) throws Exception {
        return SnmpTrapReceiverComponentAccess.start(agent, config);
    }
}
