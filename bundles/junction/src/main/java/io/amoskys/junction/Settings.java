package io.amoskys.junction;

import io.amoskys.api.event.Severity;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Reads the junction's 'name=number, ...' settings, refusing a broken one with what is wrong. */
final class Settings {
    private Settings() {}

    static Map<String, Double> numbers(String setting, String text) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String item : text.split(",")) {
            String[] pair = item.split("=", -1);
            if (pair.length != 2 || pair[0].isBlank()) {
                throw new IllegalArgumentException(JunctionRule.PID + ": " + setting + " must be name=number pairs separated by "
                        + "commas, and '" + item.strip() + "' is not");
            }
            try {
                double value = Double.parseDouble(pair[1].strip());
                if (!Double.isFinite(value)) {
                    throw new NumberFormatException("not finite");
                }
                out.put(pair[0].strip(), value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(JunctionRule.PID + ": " + setting + ": '" + pair[1].strip() + "' of "
                        + pair[0].strip() + " is not a number");
            }
        }
        return out;
    }

    /** Severity names to numbers in [0, 1]. */
    static Map<Severity, Double> severities(String setting, String text) {
        Map<Severity, Double> out = new EnumMap<>(Severity.class);
        numbers(setting, text).forEach((name, value) -> {
            if (value < 0 || value > 1) {
                throw new IllegalArgumentException(JunctionRule.PID + ": " + setting + ": " + name + "=" + value + " is not in [0, 1]");
            }
            out.put(severity(setting, name), value);
        });
        return out;
    }

    static Severity severity(String setting, String name) {
        try {
            return Severity.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(JunctionRule.PID + ": " + setting + ": '" + name + "' is not a severity "
                    + "(info, low, medium, high, critical)");
        }
    }
}
