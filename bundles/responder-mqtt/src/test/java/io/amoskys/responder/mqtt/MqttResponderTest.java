package io.amoskys.responder.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Severity;
import io.amoskys.api.response.Action;
import io.amoskys.api.response.ActionOutcome;
import io.amoskys.api.response.ActionOutcome.Status;
import io.amoskys.api.response.ActionRequest;
import io.amoskys.api.response.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MQTT responder against a real mosquitto broker started here, read by a Paho subscriber. */
class MqttResponderTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void needsMosquitto() {
        Mosquitto.assumeInstalled();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T resource) {
        open.add(resource);
        return resource;
    }

    private MqttResponder mqtt(String brokerUrl, Map<String, Object> config) {
        Map<String, Object> properties = new HashMap<>(config);
        properties.put("brokerUrl", brokerUrl);
        properties.putIfAbsent("connectTimeoutSeconds", 3);
        properties.putIfAbsent("publishTimeoutSeconds", 3);
        MqttResponder responder = new MqttResponder(Configs.mqtt(properties));
        closing(responder::close);
        return responder;
    }

    private static Alert alert() {
        return Alert.builder().id("alert-1").rule("port/scan+fast").entityId("host:10.9.0.2").severity(Severity.HIGH)
                .title("Port scan \"fast\" from 10.9.0.2").timestampNanos(1_700_000_000_123_000_000L)
                .tags(List.of("attack.t1046")).eventIds(List.of("agent:7")).groupBy(Map.of("src", "10.9.0.2")).build();
    }

    private static Action action(String id, ActionRequest request) {
        return new Action(id, "mqtt", "alert-1", "port/scan+fast", "host:10.9.0.2", request, 1);
    }

    @Test
    void publishesTheAlertAsJsonWithTheActionIdAndWaitsForTheAcknowledgement() throws Exception {
        Mosquitto broker = closing(Mosquitto.start(dir));
        Subscriber subscriber = closing(new Subscriber(broker.url(), "amoskys/#"));
        MqttResponder mqtt = mqtt(broker.url(), Map.of("topic", "amoskys/{{alert.severity}}/{{alert.rule}}/{{alert.groupBy.src}}"));
        assertEquals(List.of(), mqtt.configurationProblems());

        ActionRequest request = mqtt.plan(alert()).get(0);
        String topic = "amoskys/HIGH/port_scan_fast/10.9.0.2";
        assertEquals("notify", request.verb());
        assertEquals(Target.recipient(broker.url() + "/" + topic), request.target());
        assertEquals("publish alert alert-1 (HIGH, rule port/scan+fast) to topic " + topic + " on " + broker.url(),
                request.description());
        assertNull(request.lasts());
        assertEquals(topic, request.parameters().get("topic"));

        ActionOutcome first = mqtt.execute(action("act-1", request));
        assertEquals(Status.SUCCEEDED, first.status(), first.output());
        assertTrue(first.output().endsWith("(QoS 1): acknowledged by the broker (PUBACK) on the new connection"), first.output());
        ActionOutcome second = mqtt.execute(action("act-2", request));
        assertTrue(second.output().endsWith("on the open connection"), second.output());

        Subscriber.Received got = subscriber.next();
        assertEquals(topic, got.topic());
        assertEquals(1, got.qos());
        assertFalse(got.retained());
        JsonObject json = (JsonObject) Jsoner.deserialize(got.payload());
        assertEquals("act-1", json.getString("actionId"));
        assertEquals("mqtt", json.getString("responder"));
        JsonObject alert = (JsonObject) json.get("alert");
        assertEquals("alert-1", alert.getString("id"));
        assertEquals("port/scan+fast", alert.getString("rule"));
        assertEquals("host:10.9.0.2", alert.getString("entity"));
        assertEquals("HIGH", alert.getString("severity"));
        assertEquals("Port scan \"fast\" from 10.9.0.2", alert.getString("title"));
        assertEquals(List.of("attack.t1046"), alert.get("tags"));
        assertEquals("2023-11-14T22:13:20.123Z", alert.getString("time"));
        assertEquals("act-2", ((JsonObject) Jsoner.deserialize(subscriber.next().payload())).getString("actionId"));
    }

    @Test
    void aBrokerThatIsDownIsRetriedAndTheNextPublishReconnects() throws Exception {
        Mosquitto broker = closing(Mosquitto.start(dir));
        MqttResponder mqtt = mqtt(broker.url(), Map.of("retained", true));
        ActionRequest request = mqtt.plan(alert()).get(0);
        assertEquals(Status.SUCCEEDED, mqtt.execute(action("act-3", request)).status());

        broker.stop();
        ActionOutcome down = mqtt.execute(action("act-4", request));
        assertEquals(Status.RETRY, down.status(), down.output());
        assertTrue(down.output().contains("nothing accepts connections there"), down.output());

        broker.start(); // same port
        ActionOutcome back = mqtt.execute(action("act-4", request));
        assertEquals(Status.SUCCEEDED, back.status(), back.output());
        assertTrue(back.output().contains("(QoS 1, retained)") && back.output().endsWith("new connection"), back.output());
        // Subscribed only now: the broker kept the last alert of the topic for it.
        Subscriber late = closing(new Subscriber(broker.url(), "amoskys/alerts/#"));
        Subscriber.Received retained = late.next();
        assertTrue(retained.retained());
        assertEquals("amoskys/alerts/port_scan_fast", retained.topic());
        assertEquals("act-4", ((JsonObject) Jsoner.deserialize(retained.payload())).getString("actionId"));
    }

    @Test
    void aBrokerRestartBetweenAlertsCostsNoRetry() throws Exception {
        Mosquitto broker = closing(Mosquitto.start(dir));
        MqttResponder mqtt = mqtt(broker.url(), Map.of());
        ActionRequest request = mqtt.plan(alert()).get(0);
        assertEquals(Status.SUCCEEDED, mqtt.execute(action("act-10", request)).status());
        broker.stop();
        broker.start();
        Subscriber subscriber = closing(new Subscriber(broker.url(), "amoskys/#"));
        ActionOutcome outcome = mqtt.execute(action("act-11", request));
        assertEquals(Status.SUCCEEDED, outcome.status(), outcome.output());
        assertTrue(outcome.output().endsWith("on the new connection"), outcome.output());
        assertEquals("act-11", ((JsonObject) Jsoner.deserialize(subscriber.next().payload())).getString("actionId"));
    }

    @Test
    void logsInWithAPasswordFromAFileAndFailsForGoodWithAWrongOne() throws Exception {
        Mosquitto broker = closing(Mosquitto.startWithPassword(dir, "amoskys", "s3cret"));
        Subscriber subscriber = closing(new Subscriber(broker.url(), "amoskys/#", "amoskys", "s3cret"));
        Path good = Files.writeString(dir.resolve("good.pw"), "s3cret\n");
        assertProblem(broker.url(), Map.of("username", "amoskys", "passwordFile", good.toString()),
                "a password to a tcp:// broker would cross the network in clear text");
        // A loopback broker: no network to cross.
        MqttResponder mqtt = mqtt(broker.url(), Map.of("username", "amoskys", "passwordFile", good.toString(), "qos", 2,
                "allowPasswordWithoutTls", true));
        ActionOutcome outcome = mqtt.execute(action("act-5", mqtt.plan(alert()).get(0)));
        assertEquals(Status.SUCCEEDED, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("(PUBCOMP)"), outcome.output());
        assertEquals(2, subscriber.next().qos());

        MqttResponder wrong = mqtt(broker.url(), Map.of("username", "amoskys", ".password", "nope", "clientId", "other",
                "allowPasswordWithoutTls", true));
        ActionOutcome refused = wrong.execute(action("act-6", wrong.plan(alert()).get(0)));
        assertEquals(Status.FAILED, refused.status(), refused.output());
        assertTrue(refused.output().contains("refused"), refused.output());
    }

    @Test
    void publishesOverTlsToATrustedBrokerAndRefusesAnUntrustedOne() throws Exception {
        Path openssl = Mosquitto.binary("openssl");
        assumeTrue(openssl != null, "openssl is not installed: skipping the TLS test");
        TestCertificates certs = TestCertificates.make(openssl, Files.createDirectories(dir.resolve("tls")));
        int tlsPort = Mosquitto.freePort();
        Mosquitto broker = closing(Mosquitto.start(dir, "listener " + tlsPort + " 127.0.0.1",
                "cafile " + certs.ca(), "certfile " + certs.serverCertificate(), "keyfile " + certs.serverKey()));
        Subscriber subscriber = closing(new Subscriber(broker.url(), "amoskys/#"));
        String tlsUrl = "ssl://127.0.0.1:" + tlsPort;

        MqttResponder trusted = mqtt(tlsUrl, Map.of("trustFile", certs.ca().toString()));
        assertEquals(List.of(), trusted.configurationProblems());
        ActionOutcome outcome = trusted.execute(action("act-7", trusted.plan(alert()).get(0)));
        assertEquals(Status.SUCCEEDED, outcome.status(), outcome.output());
        assertEquals("act-7", ((JsonObject) Jsoner.deserialize(subscriber.next().payload())).getString("actionId"));

        MqttResponder untrusted = mqtt(tlsUrl, Map.of("clientId", "untrusted"));
        ActionOutcome refused = untrusted.execute(action("act-8", untrusted.plan(alert()).get(0)));
        assertEquals(Status.FAILED, refused.status(), refused.output());
        assertTrue(refused.output().contains("the broker's certificate is refused"), refused.output());
    }

    @Test
    void anActionWithoutItsParametersFails() {
        MqttResponder mqtt = mqtt("tcp://127.0.0.1:1", Map.of());
        ActionOutcome outcome = mqtt.execute(action("act-9", ActionRequest.of("notify", Target.recipient("x"), "publish")));
        assertEquals(Status.FAILED, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("no topic or alert parameter"), outcome.output());
    }

    @Test
    void reportsBadConfiguration() throws Exception {
        assertProblem("", Map.of(), "brokerUrl is missing");
        assertProblem("http://broker:1883", Map.of(), "is neither tcp://HOST:PORT nor ssl://HOST:PORT");
        assertProblem("tcp://user:pw@broker:1883", Map.of(), "carries credentials (an '@'): use username and passwordFile");
        // Refused for another reason first before: the scheme, or a host name Java's URI cannot read.
        for (String leaky : List.of("mqtts://user:s3cret@broker", "tcp://user:s3cret@mqtt_broker:1883",
                "tcp://mon:s3cret/x@broker:1883", "tcp://mon:s3cret#x@broker", "user:s3cret@broker:1883", "tcp:user:s3cret@broker")) {
            List<String> problems = mqtt(leaky, Map.of()).configurationProblems();
            assertTrue(problems.stream().anyMatch(p -> p.contains("carries credentials (an '@')")), problems.toString());
            assertTrue(problems.stream().noneMatch(p -> p.contains("s3cret")), "the password reaches no log or receipt: " + problems);
        }
        assertProblem("tcp://broker:1883/path", Map.of(), "must be only SCHEME://HOST:PORT");
        assertProblem("tcp://bro ker:1883", Map.of(), "brokerUrl is malformed");
        assertProblem("tcp://broker", Map.of("topic", "alerts/+/x"), "has a wildcard (+ or #)");
        assertProblem("tcp://broker", Map.of("topic", "alerts/#"), "has a wildcard (+ or #)");
        assertProblem("tcp://broker", Map.of("topic", "$SYS/x"), "starts with $");
        assertProblem("tcp://broker", Map.of("topic", " "), "topic is empty");
        assertProblem("tcp://broker", Map.of("topic", "a/{{alert.nope}}"), "unknown placeholder {{alert.nope}}");
        assertProblem("tcp://broker", Map.of("topic", "a/{{alert.rule"), "unbalanced braces");
        assertProblem("tcp://broker", Map.of("qos", 3), "qos must be 0, 1 or 2");
        assertProblem("tcp://broker", Map.of("username", "u", "passwordFile", dir.resolve("absent").toString()),
                "passwordFile " + dir.resolve("absent") + " cannot be read");
        assertProblem("tcp://broker", Map.of("username", "u", "passwordFile", "/etc/hostname", ".password", "x"),
                "both passwordFile and .password");
        assertProblem("tcp://broker", Map.of(".password", "x"), "a password is set without a username");
        assertProblem("tcp://broker", Map.of("trustFile", "/etc/hostname"), "are for ssl:// brokers");
        assertProblem("ssl://broker", Map.of("trustFile", "/etc/hostname"), "cannot be read as certificates");
        assertProblem("tcp://broker", Map.of("publishTimeoutSeconds", 0), "publishTimeoutSeconds must be from 1 to 3600");
        assertProblem("tcp://broker", Map.of("amoskys.plugin.name", ""), "amoskys.plugin.name is empty");
        assertEquals(List.of(), mqtt("ssl://broker", Map.of()).configurationProblems());
    }

    private void assertProblem(String brokerUrl, Map<String, Object> config, String expected) {
        MqttResponder mqtt = mqtt(brokerUrl, config);
        List<String> problems = mqtt.configurationProblems();
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), "expected '" + expected + "' in " + problems);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mqtt.plan(alert()));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(Status.FAILED, mqtt.execute(action("act-bad", ActionRequest.of("notify", Target.recipient("x"), "p"))).status());
    }
}
