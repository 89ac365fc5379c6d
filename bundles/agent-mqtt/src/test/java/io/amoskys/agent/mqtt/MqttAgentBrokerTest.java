package io.amoskys.agent.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.amoskys.agent.mqtt.ConnectionState.Phase;
import io.amoskys.agent.mqtt.payload.ErrorReason;
import io.amoskys.agent.mqtt.payload.IotReading;
import io.amoskys.api.Agent;
import io.amoskys.api.admin.DeviceDTO;
import io.amoskys.api.event.TelemetryEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent against a real mosquitto broker started by each test. */
class MqttAgentBrokerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final MqttAgent agent = new MqttAgent("mqtt@test");
    private final RecordingSink sink = new RecordingSink();
    private final List<Mosquitto> brokers = new ArrayList<>();

    @BeforeEach
    void needsMosquitto() {
        Mosquitto.assumeInstalled();
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        agent.deactivate();
        for (Mosquitto broker : brokers) {
            broker.stop();
        }
    }

    private Mosquitto broker(Mosquitto broker) {
        brokers.add(broker);
        return broker;
    }

    /** Opens a subscription and waits until its filters are subscribed at the broker. */
    private BrokerSession receiving(SubscriptionSettings.Builder settings) throws Exception {
        BrokerSession session = agent.open(settings.build());
        assertTrue(session.awaitConnection(c -> c.phase() == Phase.RECEIVING, WAIT),
                () -> "not receiving: " + session.connection());
        return session;
    }

    private static DeviceDTO device(List<DeviceDTO> devices, String name) {
        return devices.stream().filter(d -> d.name.equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no device " + name + " in " + names(devices)));
    }

    private static List<String> names(List<DeviceDTO> devices) {
        return devices.stream().map(d -> d.name).toList();
    }

    private String metrics() {
        StringBuilder out = new StringBuilder();
        agent.writePrometheus(out);
        return out.toString();
    }

    @Test
    void jsonAndSenmlReadingsPublishedWithMosquittoPubArriveAsIotEvents() throws Exception {
        Mosquitto broker = broker(Mosquitto.start(dir));
        agent.subscribe(sink);
        receiving(SubscriptionSettings.builder("home", broker.url()).topics("home/#, senml/+"));

        broker.publish("home/kitchen/temperature", "{\"value\":21.5,\"unit\":\"°C\"}");
        TelemetryEvent kitchen = sink.next(WAIT);
        assertEquals("iot", kitchen.kind());
        assertEquals("mqtt@test", kitchen.agentId());
        assertEquals("home/kitchen/temperature", kitchen.entityId());
        assertEquals(Map.of("sensor", "home/kitchen/temperature", "topic", "home/kitchen/temperature",
                "quantity", "temperature", "unit", "Cel", "format", "json"), kitchen.labels());
        assertEquals(Map.of("value", 21.5), kitchen.metrics());

        broker.publish("home/hall", "{\"temperature\":19.25,\"humidity\":40,\"window_open\":false}");
        Map<String, TelemetryEvent> hall = sink.next(3, WAIT).stream()
                .collect(Collectors.toMap(e -> e.labels().get("quantity"), Function.identity()));
        assertEquals(Set.of("temperature", "humidity", "window_open"), hall.keySet());
        assertEquals(19.25, hall.get("temperature").metrics().get("value"));
        assertEquals(40.0, hall.get("humidity").metrics().get("value"));
        assertEquals(0.0, hall.get("window_open").metrics().get("value"));
        assertEquals("home/hall", hall.get("humidity").entityId());

        broker.publish("senml/dev1", "[{\"bn\":\"urn:dev:mac:0024befffe804ff1:\",\"bt\":1.7e9,\"n\":\"temp\",\"u\":\"Cel\","
                + "\"v\":22.5},{\"n\":\"hum\",\"u\":\"%RH\",\"v\":48,\"t\":10},{\"n\":\"door\",\"vb\":true},"
                + "{\"n\":\"fw\",\"vs\":\"1.2.3\"}]");
        List<TelemetryEvent> senml = sink.next(4, WAIT);
        assertEquals(List.of("urn:dev:mac:0024befffe804ff1:temp", "urn:dev:mac:0024befffe804ff1:hum",
                "urn:dev:mac:0024befffe804ff1:door", "urn:dev:mac:0024befffe804ff1:fw"),
                senml.stream().map(TelemetryEvent::entityId).toList());
        assertEquals(Map.of("sensor", "urn:dev:mac:0024befffe804ff1:temp", "topic", "senml/dev1",
                "quantity", "temperature", "unit", "Cel", "format", "senml"), senml.get(0).labels());
        assertEquals(22.5, senml.get(0).metrics().get("value"));
        assertEquals(1_700_000_000_000_000_000L, senml.get(0).timestampNanos());
        assertEquals("%RH", senml.get(1).labels().get("unit"));
        assertEquals(1_700_000_010_000_000_000L, senml.get(1).timestampNanos());
        assertEquals(1.0, senml.get(2).metrics().get("value"));
        assertEquals("1.2.3", senml.get(3).labels().get("text"));
        assertFalse(senml.get(3).metrics().containsKey("value"));

        List<TelemetryEvent> all = new ArrayList<>(List.of(kitchen));
        all.addAll(hall.values());
        all.addAll(senml);
        assertEquals(all.size(), all.stream().map(TelemetryEvent::id).distinct().count(), "event ids are unique");

        List<DeviceDTO> devices = agent.devices();
        DeviceDTO brokerEntry = device(devices, "broker:home");
        assertEquals("up", brokerEntry.state);
        assertEquals(0, brokerEntry.errors);
        DeviceDTO sensor = device(devices, "home/kitchen/temperature");
        assertEquals("mqtt", sensor.agent);
        assertEquals("up", sensor.state);
        assertEquals("home/kitchen/temperature", sensor.address);
        assertTrue(sensor.lastSeenMillis > 0 && sensor.eventsPerSecond > 0, "last seen and rate are kept");
        assertEquals(1 + 1 + 1 + 4, devices.size(), "the broker, the kitchen, the hall and four SenML sensors: " + names(devices));

        String metrics = metrics();
        assertTrue(metrics.contains("amoskys_mqtt_messages_total{subscription=\"home\"} 3\n"), metrics);
        assertTrue(metrics.contains("amoskys_mqtt_readings_total{subscription=\"home\"} 8\n"), metrics);
        assertTrue(metrics.contains("amoskys_mqtt_connected{subscription=\"home\"} 1\n"), metrics);
        assertTrue(metrics.contains("amoskys_mqtt_errors_total{subscription=\"home\",reason=\"malformed\"} 0\n"), metrics);
    }

    @Test
    void badPayloadsAreCountedErrorsNamingTheTopicAndLaterGoodMessagesStillArrive() throws Exception {
        Mosquitto broker = broker(Mosquitto.start(dir));
        agent.subscribe(sink);
        BrokerSession session = receiving(SubscriptionSettings.builder("bad", broker.url())
                .topics("bad/#").maxPayloadBytes(256));

        broker.publish("bad/big", "{\"value\":" + "1".repeat(300) + "}");
        broker.publish("bad/text", "hello");
        broker.publishBytes("bad/binary", new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x41});
        broker.publish("bad/type", "{\"value\":\"hot\",\"unit\":\"Cel\"}");
        broker.publish("bad/unit", "{\"value\":3,\"unit\":\"furlong\"}");
        broker.publish("bad/senml", "[{\"n\":\"bad name\",\"v\":1}]");
        broker.publish("bad/good", "{\"value\":1.5,\"unit\":\"volt\"}");

        // A reading with an unknown unit is still delivered, with the unit as given, and flagged.
        TelemetryEvent furlong = sink.next(WAIT);
        assertEquals("furlong", furlong.labels().get("unit"));
        assertEquals("false", furlong.labels().get("unit_known"));
        assertEquals(3.0, furlong.metrics().get("value"));
        // Messages of one publisher order after another's on the broker: once the good one is
        // here, every bad one before it has been handled.
        TelemetryEvent good = sink.next(WAIT);
        assertEquals("bad/good", good.entityId());
        assertEquals("V", good.labels().get("unit"));
        assertEquals(List.of(), sink.drain());

        SessionStats stats = session.stats();
        assertEquals(7, stats.messages());
        assertEquals(2, stats.readings());
        assertEquals(1, stats.errors(ErrorReason.OVERSIZED));
        assertEquals(2, stats.errors(ErrorReason.MALFORMED));
        assertEquals(1, stats.errors(ErrorReason.WRONG_TYPE));
        assertEquals(1, stats.errors(ErrorReason.UNKNOWN_UNIT));
        assertEquals(1, stats.errors(ErrorReason.INVALID_SENML));
        assertEquals(Phase.RECEIVING, session.connection().phase(), "the agent keeps running");

        List<DeviceDTO> devices = agent.devices();
        DeviceDTO text = device(devices, "bad/text");
        assertEquals("error", text.state);
        assertEquals(1, text.errors);
        assertTrue(text.lastError.startsWith("topic bad/text: payload is not JSON") && text.lastError.contains("'hello'"),
                text.lastError);
        assertTrue(device(devices, "bad/big").lastError.contains("payload of 310 bytes is over the limit of 256 bytes"),
                device(devices, "bad/big").lastError);
        assertTrue(device(devices, "bad/type").lastError.contains("member 'value' is a string, expected a number"),
                device(devices, "bad/type").lastError);
        assertTrue(device(devices, "bad/unit").lastError.contains("unknown unit 'furlong'"), device(devices, "bad/unit").lastError);
        assertTrue(device(devices, "bad/binary").lastError.contains("not UTF-8"), device(devices, "bad/binary").lastError);
        assertEquals("up", device(devices, "bad/good").state);
        assertNull(device(devices, "bad/good").lastError);

        String metrics = metrics();
        assertTrue(metrics.contains("amoskys_mqtt_errors_total{subscription=\"bad\",reason=\"oversized\"} 1\n"), metrics);
        assertTrue(metrics.contains("amoskys_mqtt_errors_total{subscription=\"bad\",reason=\"malformed\"} 2\n"), metrics);
        assertTrue(metrics.contains("amoskys_mqtt_errors_total{subscription=\"bad\",reason=\"unknown-unit\"} 1\n"), metrics);
        assertTrue(metrics.contains("amoskys_mqtt_messages_total{subscription=\"bad\"} 7\n"), metrics);
    }

    @Test
    void aMessageTheAgentFailsOnIsCountedAndTheNextStillArrives() throws Exception {
        Mosquitto broker = broker(Mosquitto.start(dir));
        java.util.concurrent.LinkedBlockingQueue<IotReading> taken = new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        try (BrokerSession session = new BrokerSession(SubscriptionSettings.builder("buggy", broker.url()).topics("buggy/#").build(),
                reading -> {
                    if (first.getAndSet(false)) {
                        throw new IllegalStateException("a defect on this reading");
                    }
                    return taken.add(reading);
                })) {
            session.demand(true);
            assertTrue(session.awaitConnection(c -> c.phase() == Phase.RECEIVING, WAIT), () -> "not receiving: " + session.connection());
            broker.publish("buggy/a", "{\"value\":1,\"unit\":\"Cel\"}");
            broker.publish("buggy/b", "{\"value\":2,\"unit\":\"Cel\"}");
            IotReading next = taken.poll(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertNotNull(next, "the message after the failed one arrives");
            assertEquals("buggy/b", next.topic());
            assertEquals(1, session.stats().errors(ErrorReason.FAILED));
            assertEquals(2, session.stats().messages());
            assertEquals(Phase.RECEIVING, session.connection().phase(), "acknowledged, not sent again in a loop");
        }
    }

    @Test
    void aTopicTakenOutOfTheConfigurationDeliversNothingThoughThePersistentSessionKeepsIt() throws Exception {
        Mosquitto broker = broker(Mosquitto.start(dir));
        agent.subscribe(sink);
        BrokerSession before = receiving(SubscriptionSettings.builder("plant", broker.url()).topics("a/#", "b/#"));
        agent.close(before);
        // The same client id, so the broker hands back the session with both filters.
        BrokerSession after = receiving(SubscriptionSettings.builder("plant", broker.url()).topics("a/#"));
        broker.publish("b/x", "{\"value\":1,\"unit\":\"Cel\"}");
        broker.publish("a/x", "{\"value\":2,\"unit\":\"Cel\"}");
        List<TelemetryEvent> arrived = sink.next(1, WAIT);
        assertEquals("a/x", arrived.get(0).labels().get("topic"), "the configured topic's reading, and only it");
        assertEquals(1, after.stats().errors(ErrorReason.UNSUBSCRIBED), "b/x counted, not delivered");
        assertTrue(metrics().contains("reason=\"unsubscribed\"} 1"), metrics());
    }

    @Test
    void brokerRestartedMidStreamTheAgentReconnectsAndLosesNothingPublishedAtQos1() throws Exception {
        Mosquitto broker = broker(Mosquitto.start(dir));
        agent.subscribe(sink);
        BrokerSession session = receiving(SubscriptionSettings.builder("plant", broker.url()).topics("plant/#"));

        broker.publishLines("plant/meter", readings(0, 200));
        Set<Integer> seen = ids(sink.next(200, WAIT));
        assertEquals(range(0, 200), seen);

        broker.stop();
        assertTrue(session.awaitConnection(c -> !c.connected(), WAIT), "the agent noticed the broker going");
        broker.start(); // same port, same persistence folder

        // Published at once, possibly before the agent is back: the broker queues them for its
        // persistent session.
        broker.publishLines("plant/meter", readings(200, 400));
        assertTrue(session.awaitConnection(c -> c.phase() == Phase.RECEIVING && c.connects() == 2, WAIT),
                () -> "not reconnected: " + session.connection());
        broker.publishLines("plant/meter", readings(400, 600));

        Set<Integer> afterRestart = new TreeSet<>();
        int duplicates = 0;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (afterRestart.size() < 400 && System.nanoTime() < deadline) {
            TelemetryEvent event = sink.poll(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            for (int id : event == null ? Set.<Integer>of() : ids(List.of(event))) {
                // A message from before the restart delivered again is a duplicate, not a new one:
                // counted among the new ones, it would end the wait before the last ones came.
                if (seen.contains(id) || !afterRestart.add(id)) {
                    duplicates++;
                }
            }
        }
        assertEquals(range(200, 600), afterRestart, "every message published at QoS 1 after the restart arrived");
        assertTrue(duplicates <= 20, "at-least-once may repeat a message in flight, not more: " + duplicates);
        assertEquals(1, session.stats().reconnects());
        assertTrue(metrics().contains("amoskys_mqtt_reconnects_total{subscription=\"plant\"} 1\n"), metrics());
        assertTrue(metrics().contains("amoskys_mqtt_connected{subscription=\"plant\"} 1\n"), metrics());
        assertEquals("up", device(agent.devices(), "broker:plant").state);
    }

    @Test
    void whileNobodySubscribesTheBrokerKeepsTheMessagesForThePersistentSession() throws Exception {
        Mosquitto broker = broker(Mosquitto.start(dir));
        Agent.Subscription first = agent.subscribe(sink);
        BrokerSession session = receiving(SubscriptionSettings.builder("queue", broker.url()).topics("queue/+"));

        first.close();
        assertTrue(session.awaitConnection(c -> c.phase() == Phase.IDLE, WAIT), () -> "still connected: " + session.connection());
        assertEquals("amoskys_mqtt_connected{subscription=\"queue\"} 0", metrics().lines()
                .filter(l -> l.startsWith("amoskys_mqtt_connected{")).findFirst().orElseThrow());
        broker.publishLines("queue/a", readings(0, 3));

        agent.subscribe(sink);
        assertEquals(range(0, 3), ids(sink.next(3, WAIT)));
        // The broker hands the queue over with its CONNACK, maybe before the session notes the connection.
        assertTrue(session.awaitConnection(c -> c.phase() == Phase.RECEIVING && c.connects() == 2, WAIT),
                () -> "one more connection expected: " + session.connection());
        assertEquals(0, session.stats().reconnects(), "leaving on purpose is not a lost connection");
    }

    @Test
    void rightCredentialsConnectAndWrongOnesAreReportedClearly() throws Exception {
        Mosquitto broker = broker(Mosquitto.startWithPassword(dir, "sensor", "s3cret"));
        agent.subscribe(sink);
        receiving(SubscriptionSettings.builder("good", broker.url()).username("sensor").password("s3cret").topics("t/#"));
        BrokerSession bad = agent.open(SubscriptionSettings.builder("bad", broker.url())
                .username("sensor").password("wrong").topics("t/#").build());

        assertTrue(bad.awaitConnection(c -> c.phase() == Phase.WAITING_RETRY && c.refused(), WAIT),
                () -> "not refused: " + bad.connection());
        DeviceDTO badEntry = device(agent.devices(), "broker:bad");
        assertEquals("error", badEntry.state);
        assertTrue(badEntry.lastError.contains("cannot connect to " + broker.url() + " as amoskys-bad")
                && badEntry.lastError.contains("the broker refused the credentials"), badEntry.lastError);
        assertTrue(bad.stats().errors(ErrorReason.CONNECT_FAILED) >= 1);

        broker.publish("t/x", "{\"value\":7}", "sensor", "s3cret");
        TelemetryEvent event = sink.next(WAIT);
        assertEquals(7.0, event.metrics().get("value"));
        assertEquals("x", event.labels().get("quantity"), "no unit: the quantity is the topic's last level");
        String metrics = metrics();
        assertTrue(metrics.contains("amoskys_mqtt_connected{subscription=\"bad\"} 0\n"), metrics);
        assertTrue(metrics.contains("amoskys_mqtt_connected{subscription=\"good\"} 1\n"), metrics);
    }

    @Test
    void tlsWithTheTestsOwnCaWorksAndAnUntrustedBrokerIsReportedClearly() throws Exception {
        Path openssl = Mosquitto.binary("openssl");
        assumeTrue(openssl != null, "openssl is not installed: skipping the TLS test");
        TestCertificates certs = TestCertificates.make(openssl, Files.createDirectories(dir.resolve("tls")));
        int tlsPort = Mosquitto.freePort();
        Mosquitto broker = broker(Mosquitto.start(dir, "listener " + tlsPort + " 127.0.0.1",
                "cafile " + certs.ca(), "certfile " + certs.serverCertificate(), "keyfile " + certs.serverKey()));
        agent.subscribe(sink);
        String tlsUrl = "ssl://127.0.0.1:" + tlsPort;
        receiving(SubscriptionSettings.builder("tls", tlsUrl).trustFile(certs.ca()).topics("secure/#"));
        BrokerSession untrusted = agent.open(SubscriptionSettings.builder("untrusted", tlsUrl).topics("secure/#").build());

        broker.publish("secure/vault", "{\"value\":1,\"unit\":\"count\"}");
        TelemetryEvent event = sink.next(WAIT);
        assertEquals("secure/vault", event.entityId());

        assertTrue(untrusted.awaitConnection(c -> c.phase() == Phase.WAITING_RETRY && c.refused(), WAIT),
                () -> "not refused: " + untrusted.connection());
        String error = untrusted.connection().lastError();
        assertTrue(error.contains("TLS handshake failed") && error.contains("certification path"), error);
        assertEquals("error", device(agent.devices(), "broker:untrusted").state);
    }

    // ---- helpers

    /** JSON readings whose values are their ids. */
    private static List<String> readings(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "{\"sensor\":\"meter\",\"value\":" + i + "}").toList();
    }

    private static Set<Integer> ids(List<TelemetryEvent> events) {
        Set<Integer> ids = new TreeSet<>();
        for (TelemetryEvent e : events) {
            assertEquals("meter", e.entityId());
            ids.add(e.metrics().get("value").intValue());
        }
        return ids;
    }

    private static Set<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().collect(Collectors.toCollection(TreeSet::new));
    }
}
