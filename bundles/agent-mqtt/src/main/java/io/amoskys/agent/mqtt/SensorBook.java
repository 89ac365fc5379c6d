package io.amoskys.agent.mqtt;

import io.amoskys.api.admin.DeviceDTO;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The health of each sensor one subscription has heard of, at most {@code maxSensors} of them so
 * that a device inventing names cannot grow the agent without bound. Thread-safe.
 */
final class SensorBook {
    private final int maxSensors;
    private final Map<String, SensorHealth> sensors = new ConcurrentHashMap<>();

    SensorBook(int maxSensors) {
        this.maxSensors = maxSensors;
    }

    /** Records a reading; false when the sensor is new and the book is full (its health is not kept). */
    boolean seen(String sensor, String topic, long nowMillis) {
        SensorHealth health = find(sensor, nowMillis);
        if (health == null) {
            return false;
        }
        health.seen(topic, nowMillis);
        return true;
    }

    boolean error(String sensor, String topic, String message, long nowMillis) {
        SensorHealth health = find(sensor, nowMillis);
        if (health == null) {
            return false;
        }
        health.error(topic, message, nowMillis);
        return true;
    }

    int size() {
        return sensors.size();
    }

    List<DeviceDTO> devices(boolean brokerUp, long nowMillis) {
        return sensors.values().stream()
                .map(s -> s.toDTO(brokerUp, nowMillis))
                .sorted(Comparator.comparing(d -> d.name))
                .toList();
    }

    private SensorHealth find(String sensor, long nowMillis) {
        SensorHealth health = sensors.get(sensor);
        if (health != null || sensors.size() >= maxSensors) {
            return health;
        }
        return sensors.computeIfAbsent(sensor, name -> new SensorHealth(name, nowMillis));
    }
}
