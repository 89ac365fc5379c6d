package io.amoskys.agent.mqtt;

import io.amoskys.agent.mqtt.payload.IotReading;
import io.amoskys.api.event.EventKinds;
import io.amoskys.api.event.TelemetryEvent;

/**
 * Readings as telemetry events of kind {@code iot}: labels and metric named like the fields of
 * the wire's IotReading payload (sensor, topic, quantity, unit, format; value), so the codec puts
 * them in the typed payload. A unit we could not normalise adds {@code unit_known=false}; a SenML
 * string value travels as the label {@code text} instead of the metric {@code value}.
 */
final class ReadingEvents {
    private ReadingEvents() {}

    static TelemetryEvent of(IotReading r, String agentId, long sequence) {
        TelemetryEvent.Builder e = TelemetryEvent.builder()
                .agentId(agentId)
                .sequence(sequence)
                .entityId(r.sensor())
                .kind(EventKinds.IOT)
                .timestampNanos(r.timeNanos())
                .label("sensor", r.sensor())
                .label("topic", r.topic())
                .label("format", r.format());
        if (!r.quantity().isEmpty()) {
            e.label("quantity", r.quantity());
        }
        if (!r.unit().name().isEmpty()) {
            e.label("unit", r.unit().name());
        }
        if (!r.unit().known()) {
            e.label("unit_known", "false");
        }
        if (r.numeric()) {
            e.metric("value", r.value());
        } else {
            e.label("text", r.text());
        }
        return e.build();
    }
}
