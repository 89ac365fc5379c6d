package io.amoskys.agent.snmp.trap;

import io.amoskys.agent.snmp.SnmpAgent;
import java.lang.annotation.Annotation;
import java.util.Map;

/** Starts the trap receiver component as Declarative Services would, for tests of other packages. */
public final class SnmpTrapReceiverComponentAccess {
    private SnmpTrapReceiverComponentAccess() {}

    /** A running receiver. */
    public record Receiver(SnmpTrapReceiverComponent component) implements AutoCloseable {
        public int port() {
            return component.port();
        }

        public TrapCounters counters() {
            return component.counters();
        }

        public String metrics() {
            StringBuilder out = new StringBuilder();
            component.writePrometheus(out);
            return out.toString();
        }

        @Override
        public void close() throws Exception {
            component.deactivate();
        }
    }

    public static Receiver start(SnmpAgent agent, Map<String, String> c) throws Exception {
        SnmpTrapReceiverComponent.Config config = new SnmpTrapReceiverComponent.Config() {
            @Override public String address() { return c.getOrDefault("address", "127.0.0.1"); }
            @Override public int port() { return Integer.parseInt(c.getOrDefault("port", "0")); }
            @Override public String communities() { return c.getOrDefault("communities", "public"); }
            @Override public String v3User() { return c.getOrDefault("v3User", ""); }
            @Override public String v3AuthProtocol() { return c.getOrDefault("v3AuthProtocol", "SHA"); }
            @Override public String v3AuthPassword() { return c.getOrDefault("v3AuthPassword", ""); }
            @Override public String v3PrivProtocol() { return c.getOrDefault("v3PrivProtocol", "AES"); }
            @Override public String v3PrivPassword() { return c.getOrDefault("v3PrivPassword", ""); }
            @Override public int maxVarbinds() { return Integer.parseInt(c.getOrDefault("maxVarbinds", "32")); }
            @Override public Class<? extends Annotation> annotationType() { return SnmpTrapReceiverComponent.Config.class; }
        };
        return new Receiver(new SnmpTrapReceiverComponent(agent, config));
    }
}
