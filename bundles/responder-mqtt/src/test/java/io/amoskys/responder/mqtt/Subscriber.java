package io.amoskys.responder.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A Paho client of the test's, subscribed to a filter before anything is published; keeps what arrives. */
final class Subscriber implements AutoCloseable {
    record Received(String topic, String payload, int qos, boolean retained) {}

    final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
    private final MqttClient client;

    Subscriber(String brokerUrl, String filter, String user, String password) throws MqttException {
        client = new MqttClient(brokerUrl, "test-subscriber-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        if (user != null) {
            options.setUserName(user);
            options.setPassword(password.toCharArray());
        }
        client.setTimeToWait(10_000);
        client.connect(options);
        // subscribe waits for SUBACK: from here on the broker forwards every match.
        client.subscribe(filter, 2, (topic, m) -> messages.add(
                new Received(topic, new String(m.getPayload(), StandardCharsets.UTF_8), m.getQos(), m.isRetained())));
    }

    Subscriber(String brokerUrl, String filter) throws MqttException {
        this(brokerUrl, filter, null, null);
    }

    Received next() throws InterruptedException {
        Received r = messages.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("the subscriber got no message");
        }
        return r;
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect(1000);
        }
        client.close(true);
    }
}
