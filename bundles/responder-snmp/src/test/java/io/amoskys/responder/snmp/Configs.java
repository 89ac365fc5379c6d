package io.amoskys.responder.snmp;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A configuration annotation as DS would build it: the given values, else the defaults. */
final class Configs {
    private Configs() {}

    /** The responder as DS activates it: the configuration annotation and all properties. */
    static SnmpPortResponder responder(Map<String, Object> values) {
        return new SnmpPortResponder(snmpPort(values), values);
    }

    static SnmpPortConfig snmpPort(Map<String, Object> values) {
        return (SnmpPortConfig) Proxy.newProxyInstance(SnmpPortConfig.class.getClassLoader(),
                new Class<?>[] {SnmpPortConfig.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("toString") ? "config" + values : method.invoke(values, args);
                    }
                    String name = method.getName();
                    String key = name.startsWith("_") ? "." + name.substring(1) : name; // DS: a leading _ is a dot
                    return values.containsKey(key) ? values.get(key) : method.getDefaultValue();
                });
    }
}
