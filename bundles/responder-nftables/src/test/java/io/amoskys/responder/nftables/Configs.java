package io.amoskys.responder.nftables;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A configuration annotation as DS would build it: the given values, else the defaults. */
final class Configs {
    private Configs() {}

    static NftablesConfig nftables(Map<String, Object> values) {
        return (NftablesConfig) Proxy.newProxyInstance(NftablesConfig.class.getClassLoader(),
                new Class<?>[] {NftablesConfig.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("toString") ? "config" + values : method.invoke(values, args);
                    }
                    String key = method.getName().replace("$", ""); // DS drops a single $ (interface$)
                    return values.containsKey(key) ? values.get(key) : method.getDefaultValue();
                });
    }
}
