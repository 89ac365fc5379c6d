package io.amoskys.responder.mqtt;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The one connection of a destination to its broker: opened by the first publish, kept for the
 * next ones, dropped with its client on any failure or loss and opened again by the publish after
 * it. Publishes take turns, each bounded by the connect and publish timeouts.
 */
final class BrokerLink implements AutoCloseable {
    private static final long DISCONNECT_MILLIS = 1000;
    private final MqttSettings settings;
    private MqttClient client;
    private boolean closed;

    BrokerLink(MqttSettings settings) {
        this.settings = settings;
    }

    /**
     * Publishes and, for QoS 1 and 2, waits for the broker's acknowledgement.
     *
     * @return whether a connection was opened for this publish
     */
    synchronized boolean publish(String topic, byte[] payload) throws MqttException {
        if (closed) {
            throw new MqttException(MqttException.REASON_CODE_CLIENT_CLOSED);
        }
        boolean reused = client != null && client.isConnected();
        try {
            attempt(topic, payload);
            return !reused;
        } catch (MqttException e) {
            drop();
            if (!reused || !staleConnection(e)) {
                throw e;
            }
        } catch (RuntimeException e) {
            drop();
            throw e;
        }
        // The kept connection had died unnoticed (a broker restart, an idle timeout): one fresh try.
        try {
            attempt(topic, payload);
            return true;
        } catch (MqttException | RuntimeException e) {
            drop();
            throw e;
        }
    }

    private void attempt(String topic, byte[] payload) throws MqttException {
        if (client != null && !client.isConnected()) {
            drop(); // lost since the last publish; Paho may still be tearing it down
        }
        if (client == null) {
            client = new MqttClient(settings.brokerUrl, settings.clientId, new MemoryPersistence());
            client.setTimeToWait((settings.connectTimeoutSeconds + 1) * 1000L);
            client.connect(settings.connectOptions());
        }
        client.setTimeToWait(settings.publishTimeoutSeconds * 1000L);
        MqttMessage message = new MqttMessage(payload);
        message.setQos(settings.qos);
        message.setRetained(settings.retained);
        client.publish(topic, message);
    }

    /** Failures that say the connection is gone, not that the broker is slow or refuses. */
    private static boolean staleConnection(MqttException e) {
        int code = e.getReasonCode();
        return code == MqttException.REASON_CODE_CONNECTION_LOST || code == MqttException.REASON_CODE_CLIENT_NOT_CONNECTED
                || code == MqttException.REASON_CODE_CLIENT_DISCONNECTING || code == MqttException.REASON_CODE_CLIENT_CLOSED;
    }

    /**
     * After a failure the client's state is unknown (Paho may still be shutting the connection
     * down in its own threads): it is closed, and the next attempt starts with a new one.
     */
    private void drop() {
        if (client == null) {
            return;
        }
        if (client.isConnected()) {
            try {
                client.disconnect(0); // quick when the broker is there (forcibly always waits its timeout)
            } catch (MqttException e) {
                try {
                    client.disconnectForcibly(0, DISCONNECT_MILLIS);
                } catch (MqttException again) {
                    // gone already
                }
            }
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // closed anyway
        }
        client = null;
    }

    @Override
    public synchronized void close() {
        closed = true;
        drop();
    }
}
