package io.amoskys.agent.mqtt;

import io.amoskys.agent.mqtt.payload.Decoded;
import io.amoskys.agent.mqtt.payload.ErrorReason;
import io.amoskys.agent.mqtt.payload.IotReading;
import io.amoskys.agent.mqtt.payload.PayloadDecoder;
import io.amoskys.agent.mqtt.payload.Problem;
import io.amoskys.api.admin.DeviceDTO;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to each message of one subscription: decoded into readings, its problems counted
 * and noted against the sensor (or topic) they concern, its readings handed on and their sensors'
 * health kept. Called on Paho's callback thread, one message at a time; the health it keeps is
 * read from any thread.
 */
final class MessageIntake {
    private static final Logger LOG = LoggerFactory.getLogger(MessageIntake.class);

    private final String subscription;
    private final BrokerSession.ReadingSink output;
    private final SessionStats stats;
    private final PayloadDecoder decoder;
    private final SensorBook sensors;
    private final RateWindow messageRate = new RateWindow(System.currentTimeMillis());
    private final ThrottledLog badInputLog = new ThrottledLog(LOG, 10_000);
    private volatile long lastMessageMillis;

    MessageIntake(SubscriptionSettings settings, BrokerSession.ReadingSink output, SessionStats stats) {
        this.subscription = settings.name();
        this.output = output;
        this.stats = stats;
        this.decoder = new PayloadDecoder(settings.format(), settings.maxPayloadBytes());
        this.sensors = new SensorBook(settings.maxSensors());
    }

    void receive(String topic, byte[] payload) throws UndeliveredException {
        long nowMillis = System.currentTimeMillis();
        lastMessageMillis = nowMillis;
        synchronized (messageRate) {
            messageRate.add(nowMillis);
        }
        stats.message();
        Instant now = Instant.now();
        Decoded decoded = decoder.decode(topic, payload, now.getEpochSecond() * 1_000_000_000L + now.getNano());
        for (Problem problem : decoded.problems()) {
            stats.error(problem.reason());
            sensors.error(problem.sensor(), problem.topic(), problem.message(), nowMillis);
            badInputLog.warn("MQTT subscription " + subscription + ": " + problem.message() + " [" + problem.reason().label() + "]");
        }
        int undelivered = 0;
        for (IotReading reading : decoded.readings()) {
            if (!sensors.seen(reading.sensor(), topic, nowMillis)) {
                stats.error(ErrorReason.SENSOR_LIMIT);
            }
            stats.reading();
            if (!output.deliver(reading)) {
                stats.error(ErrorReason.UNDELIVERED);
                undelivered++;
            }
        }
        if (undelivered > 0) {
            // Not acknowledged: the broker keeps the QoS 1 message and sends it again.
            throw new UndeliveredException(undelivered + " readings from " + topic + " had nowhere to go");
        }
    }

    /** Readings of a message nobody took: the message must not be acknowledged. */
    static final class UndeliveredException extends Exception {
        private static final long serialVersionUID = 1L;

        UndeliveredException(String message) {
            super(message);
        }
    }

    long lastMessageMillis() {
        return lastMessageMillis;
    }

    double messagesPerSecond(long nowMillis) {
        synchronized (messageRate) {
            return messageRate.perSecond(nowMillis);
        }
    }

    int sensorCount() {
        return sensors.size();
    }

    List<DeviceDTO> sensorDevices(boolean brokerUp, long nowMillis) {
        return sensors.devices(brokerUp, nowMillis);
    }
}
