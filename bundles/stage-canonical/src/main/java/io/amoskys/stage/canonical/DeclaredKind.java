package io.amoskys.stage.canonical;

import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.MetricNames;
import io.amoskys.api.event.TelemetryEvent;

/**
 * A kind with declared columns, and where the metrics of its last event went: an agent builds its
 * events on one {@link MetricNames} (or at least sends the same names), so the last event's
 * layout usually fits the next one and no name is looked up. Thread-safe: the layout is replaced
 * whole.
 */
final class DeclaredKind {
    /** The metric names of an event and each one's column (-1: not declared). */
    private record Layout(MetricNames names, int[] columns) {}

    private final FeatureSchema schema;
    private volatile Layout last = new Layout(MetricNames.of(), new int[0]);

    DeclaredKind(FeatureSchema schema) {
        this.schema = schema;
    }

    FeatureSchema schema() {
        return schema;
    }

    /** Puts the event's metrics into their columns of {@code values}; refuses a non-finite one. */
    void place(TelemetryEvent event, double[] values) {
        MetricNames names = event.metricNames();
        Layout layout = last;
        if (!layout.names.equals(names)) { // the same instance, usually: equals answers at once
            layout = layoutOf(names);
            last = layout;
        }
        int[] columns = layout.columns;
        for (int i = 0; i < columns.length; i++) {
            double value = event.metricValue(i);
            if (!Double.isFinite(value)) {
                CanonicalStage.finite(event, names.name(i), value);
            }
            if (columns[i] >= 0) {
                values[columns[i]] = value;
            }
        }
    }

    private Layout layoutOf(MetricNames names) {
        int[] columns = new int[names.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = schema.indexOf(names.name(i));
        }
        return new Layout(names, columns);
    }
}
