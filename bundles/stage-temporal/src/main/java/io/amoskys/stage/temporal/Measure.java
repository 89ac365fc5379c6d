package io.amoskys.stage.temporal;

import io.amoskys.api.event.TelemetryEvent;
import java.util.List;

/**
 * One quantity an event carries: a count of 1 per event, the sum of canonical columns, or a label
 * whose distinct values are counted. {@code what} is the phrase the documentation uses.
 */
record Measure(String name, String what, List<String> summed, String label) {

    /** Each event counts 1: its rate is events per second. */
    static Measure events(String name, String what) {
        return new Measure(name, what, List.of(), null);
    }

    /** The sum of canonical columns, each missing one counting 0. */
    static Measure sum(String name, String what, String... columns) {
        return new Measure(name, what, List.of(columns), null);
    }

    static Measure label(String name, String what, String label) {
        return new Measure(name, what, List.of(), label);
    }

    boolean isLabel() {
        return label != null;
    }

    boolean isCount() {
        return label == null && summed.isEmpty();
    }

    String labelOf(TelemetryEvent event) {
        return event.labels().get(label);
    }
}
