package io.amoskys.stage.temporal;

import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * One quantity an event carries: a number read from its canonical vector, or a label whose
 * distinct values are counted. {@code what} is the phrase the documentation uses.
 */
record Measure(String name, String what, ToDoubleFunction<FeatureVector> number, Function<TelemetryEvent, String> label) {

    /** Each event counts 1: its rate is events per second. */
    static Measure events(String name, String what) {
        return new Measure(name, what, v -> 1, null);
    }

    static Measure number(String name, String what, ToDoubleFunction<FeatureVector> number) {
        return new Measure(name, what, number, null);
    }

    /** The sum of canonical columns, each missing one counting 0. */
    static Measure sum(String name, String what, String... columns) {
        return number(name, what, v -> {
            double total = 0;
            for (String column : columns) {
                double value = v.get(column);
                total += Double.isNaN(value) ? 0 : value;
            }
            return total;
        });
    }

    static Measure label(String name, String what, String label) {
        return new Measure(name, what, null, e -> e.labels().get(label));
    }

    boolean isLabel() {
        return label != null;
    }
}
