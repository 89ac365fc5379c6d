package io.amoskys.agent.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.agent.mqtt.payload.PayloadFormat;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubscriptionSettingsTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        SubscriptionSettings s = SubscriptionSettings.builder("kitchen", "tcp://broker:1883").topics("a/#").build();
        assertEquals("amoskys-kitchen", s.clientId());
        assertEquals(1, s.qos());
        assertEquals(65536, s.maxPayloadBytes());
        assertEquals(PayloadFormat.AUTO, s.format());
        assertFalse(s.cleanSession(), "a persistent session keeps QoS 1 messages while the agent is away");
        assertFalse(s.tls());
    }

    @Test
    void badSettingsFailNamingTheSetting() {
        assertMessage("brokerUrl must start with tcp:// or ssl://, was 'http://x'",
                SubscriptionSettings.builder("n", "http://x").topics("a"));
        assertMessage("topics needs at least one topic filter", SubscriptionSettings.builder("n", "tcp://x:1").topics(" , "));
        assertMessage("topic filter 'a/#/b' is not valid", SubscriptionSettings.builder("n", "tcp://x:1").topics("a/#/b"));
        assertMessage("qos must be 0, 1 or 2, was 3", SubscriptionSettings.builder("n", "tcp://x:1").topics("a").qos(3));
        assertMessage("trustFile is only used with ssl://",
                SubscriptionSettings.builder("n", "tcp://x:1").topics("a").trustFile(Path.of("/etc/hostname")));
        assertMessage("trustFile /nonexistent/ca.pem cannot be read",
                SubscriptionSettings.builder("n", "ssl://x:1").topics("a").trustFile(Path.of("/nonexistent/ca.pem")));
        assertMessage("a password needs a username", SubscriptionSettings.builder("n", "tcp://x:1").topics("a").password("p"));
        assertMessage("name must be", SubscriptionSettings.builder("a b", "tcp://x:1").topics("a"));
        // Below the first retry's 250 ms, the session could not be made: refused here, naming the setting.
        assertMessage("maxReconnectDelayMillis must be at least 250",
                SubscriptionSettings.builder("n", "tcp://x:1").topics("a").maxReconnectDelayMillis(100));
    }

    private static void assertMessage(String expected, SubscriptionSettings.Builder builder) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void toStringHidesThePassword() {
        String text = SubscriptionSettings.builder("n", "tcp://x:1").topics("a").username("u").password("hunter2").build().toString();
        assertTrue(text.contains("user u"), text);
        assertFalse(text.contains("hunter2"), text);
    }

    @Test
    void aKarafConfigurationFileBecomesSettings() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("service.pid", "io.amoskys.agent.mqtt~greenhouse");
        properties.put("brokerUrl", "ssl://broker.lan:8883");
        properties.put("topics", new String[] {"greenhouse/+/temp, greenhouse/senml/#"});
        properties.put("format", "SenML");
        properties.put("qos", 0);
        SubscriptionSettings s = MqttSubscriptionComponent.settings(config(properties), properties);
        assertEquals("greenhouse", s.name());
        assertEquals(List.of("greenhouse/+/temp", "greenhouse/senml/#"), s.topics());
        assertEquals(PayloadFormat.SENML, s.format());
        assertEquals(0, s.qos());
        assertTrue(s.tls());
        assertEquals("amoskys-greenhouse", s.clientId());
    }

    @Test
    void theNameComesFromTheConfigurationElseThePidElseTheFile() {
        assertEquals("set", MqttSubscriptionComponent.nameOf("set", Map.of("service.pid", "io.amoskys.agent.mqtt~pid")));
        assertEquals("pid", MqttSubscriptionComponent.nameOf("", Map.of("service.pid", "io.amoskys.agent.mqtt~pid")));
        assertEquals("barn", MqttSubscriptionComponent.nameOf("", Map.of("service.pid", "io.amoskys.agent.mqtt.5f1c",
                "felix.fileinstall.filename", "file:/opt/karaf/etc/io.amoskys.agent.mqtt-barn.cfg")));
        assertEquals("5f1c", MqttSubscriptionComponent.nameOf("", Map.of("service.pid", "io.amoskys.agent.mqtt.5f1c")));
    }

    /** The DS configuration type over a property map, defaults from the annotation, as DS does it. */
    private static MqttSubscriptionComponent.Config config(Map<String, Object> properties) {
        return (MqttSubscriptionComponent.Config) Proxy.newProxyInstance(SubscriptionSettingsTest.class.getClassLoader(),
                new Class<?>[] {MqttSubscriptionComponent.Config.class}, (proxy, method, args) -> value(method, properties));
    }

    private static Object value(Method method, Map<String, Object> properties) {
        if (method.getName().equals("annotationType")) {
            return MqttSubscriptionComponent.Config.class;
        }
        Object value = properties.get(method.getName());
        return value != null ? value : method.getDefaultValue();
    }

}
