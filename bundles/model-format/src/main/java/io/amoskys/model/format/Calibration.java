package io.amoskys.model.format;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a model's raw output becomes a score in [0, 1]: {@code identity} (clamped),
 * {@code minmax} ({@code (raw - min) / (max - min)}, clamped) or {@code logistic}
 * ({@code 1 / (1 + exp(-(a·raw + b)))}). A NaN raw output stays NaN: the caller refuses it.
 */
public final class Calibration {
    /** The calibration methods, by their name in the descriptor. */
    public enum Method {
        IDENTITY("identity"), MINMAX("minmax"), LOGISTIC("logistic");

        private final String code;

        Method(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Method method;
    private final double first;
    private final double second;

    private Calibration(Method method, double first, double second) {
        this.method = method;
        this.first = first;
        this.second = second;
    }

    public static Calibration identity() {
        return new Calibration(Method.IDENTITY, 0, 0);
    }

    public static Calibration minmax(double min, double max) {
        if (!Double.isFinite(min) || !Double.isFinite(max) || !(max > min)) {
            throw new DescriptorException("calibration", "minmax needs finite min < max, was min " + min + ", max " + max);
        }
        return new Calibration(Method.MINMAX, min, max);
    }

    public static Calibration logistic(double a, double b) {
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
            throw new DescriptorException("calibration", "logistic needs finite a and b, was a " + a + ", b " + b);
        }
        return new Calibration(Method.LOGISTIC, a, b);
    }

    public Method method() {
        return method;
    }

    /** @return the calibrated score in [0, 1], or NaN when {@code raw} is NaN */
    public double apply(double raw) {
        double score = switch (method) {
            case IDENTITY -> raw;
            case MINMAX -> (raw - first) / (second - first);
            case LOGISTIC -> 1.0 / (1.0 + Math.exp(-(first * raw + second)));
        };
        return Double.isNaN(score) ? Double.NaN : Math.min(1.0, Math.max(0.0, score));
    }

    /** The descriptor's {@code calibration} object, its fields in a fixed order. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("method", method.code());
        switch (method) {
            case MINMAX -> {
                json.put("min", first);
                json.put("max", second);
            }
            case LOGISTIC -> {
                json.put("a", first);
                json.put("b", second);
            }
            case IDENTITY -> { }
        }
        return json;
    }

    static Calibration fromJson(Map<?, ?> json) {
        Object method = json.get("method");
        for (Object key : json.keySet()) {
            if (!List.of("method", "min", "max", "a", "b").contains(key)) {
                throw new DescriptorException("calibration", "unknown field '" + key + "'");
            }
        }
        if ("identity".equals(method)) {
            return identity();
        } else if ("minmax".equals(method)) {
            return minmax(number(json, "min"), number(json, "max"));
        } else if ("logistic".equals(method)) {
            return logistic(number(json, "a"), number(json, "b"));
        }
        throw new DescriptorException("calibration", "method must be identity, minmax or logistic, was " + method);
    }

    private static double number(Map<?, ?> json, String key) {
        if (json.get(key) instanceof Number n) {
            return n.doubleValue();
        }
        throw new DescriptorException("calibration", "'" + key + "' must be a number");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Calibration c && method == c.method
                && Double.compare(first, c.first) == 0 && Double.compare(second, c.second) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, first, second);
    }

    @Override
    public String toString() {
        return toJson().toString();
    }
}
