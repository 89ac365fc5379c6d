package io.amoskys.agent.mqtt.payload;

/**
 * One reading of one sensor, named like the fields of the {@code IotReading} wire payload.
 *
 * @param sensor   the sensor's name (the entity id of its events)
 * @param topic    the MQTT topic it came on
 * @param quantity what is measured ("temperature"), or "" when nothing says
 * @param unit     the unit as normalised, or the device's own name marked unknown
 * @param format   {@code json} or {@code senml}
 * @param value    the number, or NaN for a text reading
 * @param text     the SenML string value ({@code vs}), or null for a number
 * @param timeNanos epoch nanoseconds of the measurement (the arrival time when the payload has none)
 */
public record IotReading(String sensor, String topic, String quantity, Units.Unit unit, String format,
        double value, String text, long timeNanos) {
    public static final String JSON = "json";
    public static final String SENML = "senml";

    public boolean numeric() {
        return text == null;
    }
}
