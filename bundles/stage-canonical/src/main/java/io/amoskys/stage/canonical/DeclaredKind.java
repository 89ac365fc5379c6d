package io.amoskys.stage.canonical;

import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.TelemetryEvent;
import java.util.Map;

/**
 * A kind with declared columns, and where the metrics of its last event went: an agent sends the
 * same metric names event after event, so comparing names with the last event's (often the very
 * same strings) spares a lookup by name per metric. Thread-safe: the layout is replaced whole.
 */
final class DeclaredKind {
    /** Metric names in the order an event iterates them, and each one's column (-1: not declared). */
    private record Layout(String[] names, int[] columns) {}

    private final FeatureSchema schema;
    private volatile Layout last = new Layout(new String[0], new int[0]);

    DeclaredKind(FeatureSchema schema) {
        this.schema = schema;
    }

    FeatureSchema schema() {
        return schema;
    }

    /** Puts the event's metrics into their columns of {@code values}; refuses a non-finite one. */
    void place(TelemetryEvent event, double[] values) {
        Layout layout = last;
        Map<String, Double> metrics = event.metrics();
        boolean same = metrics.size() == layout.names.length;
        int i = 0;
        for (Map.Entry<String, Double> m : metrics.entrySet()) {
            String name = m.getKey();
            double value = CanonicalStage.finite(event, name, m.getValue());
            int column;
            if (same && name.equals(layout.names[i])) {
                column = layout.columns[i];
            } else {
                same = false;
                column = schema.indexOf(name);
            }
            if (column >= 0) {
                values[column] = value;
            }
            i++;
        }
        if (!same) {
            last = layoutOf(metrics);
        }
    }

    private Layout layoutOf(Map<String, Double> metrics) {
        String[] names = metrics.keySet().toArray(String[]::new);
        int[] columns = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            columns[i] = schema.indexOf(names[i]);
        }
        return new Layout(names, columns);
    }
}
