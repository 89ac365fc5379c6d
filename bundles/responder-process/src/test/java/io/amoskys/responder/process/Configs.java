package io.amoskys.responder.process;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A configuration annotation as DS would build it: the given values, else the defaults. */
final class Configs {
    private Configs() {}

    static ProcessConfig process(Map<String, Object> values) {
        return (ProcessConfig) Proxy.newProxyInstance(ProcessConfig.class.getClassLoader(),
                new Class<?>[] {ProcessConfig.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("toString") ? "config" + values : method.invoke(values, args);
                    }
                    return values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue();
                });
    }
}
