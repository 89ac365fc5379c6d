package io.amoskys.agent.mqtt.payload;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * SenML packs (RFC 8428, JSON representation) resolved into readings as section 4.6 describes:
 * base name, time, unit and value ({@code bn}, {@code bt}, {@code bu}, {@code bv}, {@code bs})
 * apply to their record and every later one until replaced; a record's name is {@code bn + n},
 * its time {@code bt + t} (below 2^28 seconds: relative to now), its value {@code bv + v}, or
 * the string {@code vs}, or the boolean {@code vb} as 1/0, or else the sum {@code bs + s}.
 * A bad record is a problem of its own; the pack's other records still count.
 */
final class SenmlReadings {
    /** The fields that hold a record's value; a null in one is no reading of 0. */
    private static final java.util.List<String> VALUE_FIELDS = java.util.List.of("v", "vs", "vb", "vd", "s");

    /** RFC 8428 4.5.1: the characters a resolved name may hold, starting with a letter or digit. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9\\-:./_]*");
    /** RFC 8428 4.4: times below this are seconds relative to now. */
    private static final double RELATIVE_LIMIT = 1 << 28;

    private SenmlReadings() {}

    static void read(List<Object> pack, ReadingCollector out) {
        Base base = new Base();
        for (int i = 0; i < pack.size(); i++) {
            if (!(pack.get(i) instanceof Map<?, ?> raw)) {
                out.problem(ErrorReason.WRONG_TYPE, "SenML record " + i + " is " + ReadingCollector.describe(pack.get(i))
                        + ", expected an object");
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> record = (Map<String, Object>) raw;
            try {
                base.update(record);
                record(i, record, base, out);
            } catch (BadField e) {
                out.problem(e.reason, e.sensor == null ? out.topic() : e.sensor, "SenML record " + i + ": " + e.getMessage());
            }
        }
    }

    private static void record(int index, Map<String, Object> record, Base base, ReadingCollector out) throws BadField {
        for (String field : record.keySet()) {
            if (field.endsWith("_")) {
                throw new BadField(ErrorReason.INVALID_SENML, null, "has the must-understand field '" + field
                        + "', which this agent does not understand (RFC 8428 4.4: the record is rejected)");
            }
        }
        String n = string(record, "n", null);
        boolean hasValue = record.containsKey("v") || record.containsKey("vs") || record.containsKey("vb")
                || record.containsKey("vd") || record.containsKey("s");
        if (n == null && !hasValue) {
            return; // a record of base fields only
        }
        String name = base.name + (n == null ? "" : n);
        if (name.isEmpty()) {
            throw new BadField(ErrorReason.INVALID_SENML, null, "has no name (neither bn nor n)");
        }
        if (!NAME.matcher(name).matches()) {
            throw new BadField(ErrorReason.INVALID_SENML, null, "name '" + name
                    + "' has characters SenML does not allow (RFC 8428 4.5.1)");
        }
        String unitField = string(record, "u", name);
        String unit = unitField != null ? unitField : base.unit;
        long time = time(base.time + number(record, "t", name, 0), out.nowNanos());
        // What is measured: the unit says it best (Cel is a temperature); else the record's own
        // part of the name under a base name ("temp" of "urn:dev:ow:10e2073a:temp").
        boolean unitTells = !Units.quantityOf(Units.normalise(unit, true).name()).isEmpty();
        String quantity = unitTells || base.name.isEmpty() || n == null ? "" : n;
        for (String field : VALUE_FIELDS) {
            if (record.containsKey(field) && record.get(field) == null) {
                throw new BadField(ErrorReason.WRONG_TYPE, name, "field '" + field + "' is null, expected a value");
            }
        }
        if (record.containsKey("v")) {
            out.number(name, quantity, unit, base.value + number(record, "v", name, 0), time);
        } else if (record.containsKey("vs")) {
            out.text(name, quantity, unit, string(record, "vs", name), time);
        } else if (record.containsKey("vb")) {
            Object vb = record.get("vb");
            if (!(vb instanceof Boolean b)) {
                throw new BadField(ErrorReason.WRONG_TYPE, name, "field 'vb' is " + ReadingCollector.describe(vb)
                        + ", expected a boolean");
            }
            out.number(name, quantity, unit, b ? 1 : 0, time);
        } else if (record.containsKey("vd")) {
            throw new BadField(ErrorReason.NO_READINGS, name, "holds a data value (vd), which is not a reading this agent reads");
        } else if (record.containsKey("s")) {
            out.number(name, quantity, unit, base.sum + number(record, "s", name, 0), time);
        } else {
            throw new BadField(ErrorReason.NO_READINGS, name, "has no value (v, vs, vb or s)");
        }
    }

    /** Epoch nanoseconds of a resolved SenML time. */
    private static long time(double seconds, long nowNanos) {
        if (seconds < RELATIVE_LIMIT) {
            return nowNanos + Math.round(seconds * 1e9);
        }
        return EpochSeconds.toNanos(seconds);
    }

    private static String string(Map<String, Object> record, String field, String sensor) throws BadField {
        Object value = record.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return s;
        }
        throw new BadField(ErrorReason.WRONG_TYPE, sensor, "field '" + field + "' is " + ReadingCollector.describe(value)
                + ", expected a string");
    }

    private static double number(Map<String, Object> record, String field, String sensor, double absent) throws BadField {
        Object value = record.get(field);
        if (value == null) {
            return absent;
        }
        if (value instanceof Double d && Double.isFinite(d)) {
            return d;
        }
        throw new BadField(ErrorReason.WRONG_TYPE, sensor, "field '" + field + "' is " + ReadingCollector.describe(value)
                + ", expected a number");
    }

    /** The base fields in force. */
    private static final class Base {
        String name = "";
        double time;
        String unit = "";
        double value;
        double sum;

        void update(Map<String, Object> record) throws BadField {
            String bn = string(record, "bn", null);
            String bu = string(record, "bu", null);
            double bt = number(record, "bt", null, time);
            double bv = number(record, "bv", null, value);
            double bs = number(record, "bs", null, sum);
            number(record, "bver", null, 10);
            // Assigned only once every base field of the record checked out.
            name = bn != null ? bn : name;
            unit = bu != null ? bu : unit;
            time = bt;
            value = bv;
            sum = bs;
        }
    }

    /** A record that cannot be read, with the reason and the sensor when it is known. */
    private static final class BadField extends Exception {
        private static final long serialVersionUID = 1L;
        final transient ErrorReason reason;
        final String sensor;

        BadField(ErrorReason reason, String sensor, String message) {
            super(message, null, false, false);
            this.reason = reason;
            this.sensor = sensor;
        }
    }
}
