package io.amoskys.agent.mqtt.payload;

import java.util.ArrayList;
import java.util.List;

/**
 * Gathers the readings and problems of one message; normalises units on the way and counts a
 * unit it cannot normalise as a problem while still delivering the reading with it.
 */
final class ReadingCollector {
    private final String topic;
    private final String format;
    private final long nowNanos;
    private final List<IotReading> readings = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();

    ReadingCollector(String topic, String format, long nowNanos) {
        this.topic = topic;
        this.format = format;
        this.nowNanos = nowNanos;
    }

    String topic() {
        return topic;
    }

    long nowNanos() {
        return nowNanos;
    }

    void number(String sensor, String quantity, String rawUnit, double value, long timeNanos) {
        add(sensor, quantity, rawUnit, value, null, timeNanos);
    }

    void text(String sensor, String quantity, String rawUnit, String text, long timeNanos) {
        add(sensor, quantity, rawUnit, Double.NaN, text, timeNanos);
    }

    private void add(String sensor, String quantity, String rawUnit, double value, String text, long timeNanos) {
        Units.Unit unit = Units.normalise(rawUnit, IotReading.SENML.equals(format));
        if (!unit.known()) {
            problem(ErrorReason.UNKNOWN_UNIT, sensor, "unknown unit '" + unit.name() + "' for sensor " + sensor
                    + " (reading kept with the unit as given)");
        }
        String q = quantity.isEmpty() ? Units.quantityOf(unit.name()) : quantity;
        readings.add(new IotReading(sensor, topic, q, unit, format, value, text, timeNanos));
    }

    /** A problem with part of the message, tied to the sensor it concerns. */
    void problem(ErrorReason reason, String sensor, String detail) {
        // No cap needed: maxPayloadBytes bounds how many records, and so problems, a message holds.
        problems.add(new Problem(reason, sensor, topic, detail));
    }

    /** A problem with the message as a whole, tied to its topic. */
    void problem(ErrorReason reason, String detail) {
        problem(reason, topic, detail);
    }

    Decoded result() {
        if (readings.isEmpty() && problems.isEmpty()) {
            problem(ErrorReason.NO_READINGS, "the " + format + " payload holds no reading");
        }
        return new Decoded(List.copyOf(readings), List.copyOf(problems));
    }

    /** "a string", "an array", ... for messages about wrong types. */
    static String describe(Object json) {
        if (json == null) {
            return "null";
        }
        if (json instanceof String) {
            return "a string";
        }
        if (json instanceof Double d) {
            return Double.isFinite(d) ? "a number" : "a number out of range";
        }
        if (json instanceof Boolean) {
            return "a boolean";
        }
        if (json instanceof List) {
            return "an array";
        }
        return "an object";
    }
}
