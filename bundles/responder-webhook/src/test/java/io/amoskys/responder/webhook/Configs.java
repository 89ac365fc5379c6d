package io.amoskys.responder.webhook;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A configuration annotation as DS would build it from properties: the given values, else the defaults. */
final class Configs {
    private Configs() {}

    static WebhookConfig webhook(Map<String, Object> properties) {
        return (WebhookConfig) Proxy.newProxyInstance(WebhookConfig.class.getClassLoader(),
                new Class<?>[] {WebhookConfig.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("toString") ? "config" + properties : method.invoke(properties, args);
                    }
                    String key = property(method.getName());
                    return properties.containsKey(key) ? properties.get(key) : method.getDefaultValue();
                });
    }

    /** DS's mapping of a method name to a property name, for the cases used here: _ is a dot. */
    static String property(String method) {
        return method.replace("$", "").replace('_', '.');
    }
}
