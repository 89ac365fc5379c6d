package io.amoskys.responder.mqtt;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A configuration annotation as DS would build it from properties: the given values, else the defaults. */
final class Configs {
    private Configs() {}

    static MqttConfig mqtt(Map<String, Object> properties) {
        return (MqttConfig) Proxy.newProxyInstance(MqttConfig.class.getClassLoader(),
                new Class<?>[] {MqttConfig.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("toString") ? "config" + properties : method.invoke(properties, args);
                    }
                    String key = method.getName().replace("$", "").replace('_', '.');
                    return properties.containsKey(key) ? properties.get(key) : method.getDefaultValue();
                });
    }
}
