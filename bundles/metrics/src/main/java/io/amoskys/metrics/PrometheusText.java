package io.amoskys.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the Prometheus text exposition format (version 0.0.4): one HELP and TYPE line per
 * family, then its samples. Families are written in the order they are first declared.
 */
final class PrometheusText {
    private record Family(String type, String help, StringBuilder samples) {}

    private final Map<String, Family> families = new LinkedHashMap<>();

    PrometheusText counter(String name, String help) {
        families.putIfAbsent(name, new Family("counter", help, new StringBuilder()));
        return this;
    }

    PrometheusText gauge(String name, String help) {
        families.putIfAbsent(name, new Family("gauge", help, new StringBuilder()));
        return this;
    }

    /** @param labels name, value, name, value, ... */
    void sample(String name, double value, String... labels) {
        Family family = families.get(name);
        if (family == null) {
            throw new IllegalArgumentException("metric family " + name + " was not declared");
        }
        StringBuilder line = family.samples().append(name);
        if (labels.length > 0) {
            line.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (i > 0) {
                    line.append(',');
                }
                line.append(labels[i]).append("=\"").append(escape(labels[i + 1])).append('"');
            }
            line.append('}');
        }
        line.append(' ').append(format(value)).append('\n');
    }

    String render() {
        StringBuilder out = new StringBuilder();
        families.forEach((name, family) -> out.append("# HELP ").append(name).append(' ').append(family.help()).append('\n')
                .append("# TYPE ").append(name).append(' ').append(family.type()).append('\n')
                .append(family.samples()));
        return out.toString();
    }

    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
