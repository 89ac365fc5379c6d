package io.amoskys.agent.mqtt;

import io.amoskys.api.admin.DeviceDTO;

/** One sensor's health: when it was last heard, how often it talks, what went wrong. Thread-safe. */
final class SensorHealth {
    private final String name;
    private final RateWindow rate;
    private String topic;
    private long lastSeenMillis;
    private long lastErrorMillis;
    private long errors;
    private String lastError;

    SensorHealth(String name, long nowMillis) {
        this.name = name;
        this.rate = new RateWindow(nowMillis);
    }

    synchronized void seen(String topic, long nowMillis) {
        this.topic = topic;
        lastSeenMillis = nowMillis;
        rate.add(nowMillis);
    }

    synchronized void error(String topic, String message, long nowMillis) {
        this.topic = topic;
        errors++;
        lastError = message;
        lastErrorMillis = nowMillis;
    }

    /** Its entry for amoskys:devices; a sensor is down when its broker connection is. */
    synchronized DeviceDTO toDTO(boolean brokerUp, long nowMillis) {
        DeviceDTO dto = new DeviceDTO();
        dto.agent = MqttAgent.NAME;
        dto.name = name;
        dto.address = topic;
        dto.lastSeenMillis = lastSeenMillis;
        dto.eventsPerSecond = rate.perSecond(nowMillis);
        dto.errors = errors;
        dto.lastError = lastError;
        if (!brokerUp) {
            dto.state = "down";
        } else if (lastErrorMillis > 0 && lastErrorMillis >= lastSeenMillis) {
            dto.state = "error";
        } else {
            dto.state = lastSeenMillis > 0 ? "up" : "unknown";
        }
        return dto;
    }
}
