package io.amoskys.agent.mqtt.payload;

import java.util.Map;

/**
 * Plain JSON payloads. Two shapes:
 * <ul>
 * <li>one reading: {@code {"value":21.5,"unit":"Cel"}}, optionally with {@code "sensor"} (the
 * sensor's name; default the topic), {@code "quantity"} (default from the unit, else the topic's
 * last level) and {@code "time"} (epoch seconds; default the arrival time);</li>
 * <li>a flat object of numbers: {@code {"temperature":21.5,"humidity":40}}, one reading per
 * member named by it, for the sensor named by an optional {@code "sensor"} member or the topic.</li>
 * </ul>
 * Booleans count as 1 and 0. Anything else where a number belongs is a wrong-type problem naming
 * the member; the message's other readings still count.
 */
final class JsonReadings {
    private JsonReadings() {}

    static void read(Map<String, Object> object, ReadingCollector out) {
        Object sensorField = object.get("sensor");
        if (sensorField != null && !(sensorField instanceof String)) {
            out.problem(ErrorReason.WRONG_TYPE, "member 'sensor' is " + ReadingCollector.describe(sensorField)
                    + ", expected a string");
            return;
        }
        String sensor = sensorField == null || ((String) sensorField).isBlank() ? out.topic() : (String) sensorField;
        if (object.containsKey("value")) {
            one(object, sensor, out);
        } else {
            flat(object, sensor, out);
        }
    }

    private static void one(Map<String, Object> object, String sensor, ReadingCollector out) {
        Object value = object.get("value");
        Double number = asNumber(value);
        if (number == null) {
            out.problem(ErrorReason.WRONG_TYPE, sensor, "member 'value' is " + ReadingCollector.describe(value)
                    + ", expected a number");
            return;
        }
        String unit = string(object, "unit", sensor, out);
        String quantity = string(object, "quantity", sensor, out);
        if (unit == null || quantity == null) {
            return;
        }
        long time = out.nowNanos();
        Object t = object.get("time");
        if (t != null) {
            if (!(t instanceof Double seconds) || !Double.isFinite(seconds)) {
                out.problem(ErrorReason.WRONG_TYPE, sensor, "member 'time' is " + ReadingCollector.describe(t)
                        + ", expected epoch seconds");
                return;
            }
            time = EpochSeconds.toNanos(seconds);
        }
        if (quantity.isEmpty() && Units.quantityOf(Units.normalise(unit, false).name()).isEmpty()) {
            quantity = lastLevel(out.topic());
        }
        out.number(sensor, quantity, unit, number, time);
    }

    private static void flat(Map<String, Object> object, String sensor, ReadingCollector out) {
        for (Map.Entry<String, Object> member : object.entrySet()) {
            if (member.getKey().equals("sensor")) {
                continue;
            }
            Double number = asNumber(member.getValue());
            if (number == null) {
                out.problem(ErrorReason.WRONG_TYPE, sensor, "member '" + member.getKey() + "' is "
                        + ReadingCollector.describe(member.getValue()) + ", expected a number (a flat object holds only"
                        + " numbers; send {\"value\":..,\"unit\":..} for a reading with a unit)");
                continue;
            }
            out.number(sensor, member.getKey(), "", number, out.nowNanos());
        }
    }

    /** The number a JSON value stands for, or null; infinities from huge literals do not count. */
    static Double asNumber(Object value) {
        if (value instanceof Double d) {
            return Double.isFinite(d) ? d : null;
        }
        if (value instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        return null;
    }

    /** An optional string member: "" when absent, null (and a problem) when of another type. */
    private static String string(Map<String, Object> object, String name, String sensor, ReadingCollector out) {
        Object value = object.get(name);
        if (value == null) {
            return "";
        }
        if (value instanceof String s) {
            return s;
        }
        out.problem(ErrorReason.WRONG_TYPE, sensor, "member '" + name + "' is " + ReadingCollector.describe(value)
                + ", expected a string");
        return null;
    }

    private static String lastLevel(String topic) {
        return topic.substring(topic.lastIndexOf('/') + 1);
    }
}
